#!/usr/bin/env python3
"""Writes one nb SSTable with cqlite-py (an independent writer): a wide partition p=1 of 2000
rows (c = 0..1999, v = 100 letters; c 500..599 deleted by a range tombstone) and a narrow
partition p=2. usage: cqlite_wide.py OUT_DIR"""
import os, sys
import cqlite

out = sys.argv[1]
schema = os.path.join(out, "schema.cql")
os.makedirs(out, exist_ok=True)
with open(schema, "w") as f:
    f.write("CREATE KEYSPACE k WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};\n"
            "CREATE TABLE k.t (p int, c int, v text, PRIMARY KEY (p, c));\n")
with cqlite.open(out, schema=schema, writable=True, write_dir=out) as db:
    for c in range(2000):
        db.execute("INSERT INTO k.t (p, c, v) VALUES (1, %d, '%s') USING TIMESTAMP 1000" % (c, chr(97 + c % 26) * 100))
    db.execute("DELETE FROM k.t USING TIMESTAMP 2000 WHERE p = 1 AND c >= 500 AND c < 600")
    db.execute("INSERT INTO k.t (p, c, v) VALUES (2, 1, 'y') USING TIMESTAMP 1000")
    db.flush_run()
