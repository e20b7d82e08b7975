#!/usr/bin/env python3
"""Writes three nb SSTables of one table with cqlite-py (an independent writer): overwrites,
ties, cell/row/range/partition deletions, an old partition deletion, a replaced collection and
TTLs spread across them. Then prints cqlite's own reading as JSON lines (for the partition order).
usage: merge_scenarios.py OUT_DIR"""
import json, os, sys
import cqlite

out = sys.argv[1]
schema = os.path.join(out, "schema.cql")
os.makedirs(out, exist_ok=True)
with open(schema, "w") as f:
    f.write("CREATE KEYSPACE k WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};\n"
            "CREATE TABLE k.t (p int, c int, v text, s text static, l list<int>, st set<text>, m map<text, int>,"
            " PRIMARY KEY (p, c));\n")
batches = [
    ["INSERT INTO k.t (p, c, v) VALUES (1, 1, 'a') USING TIMESTAMP 1000",
     "INSERT INTO k.t (p, c, v) VALUES (1, 2, 'b') USING TIMESTAMP 1000",
     "INSERT INTO k.t (p, c, v) VALUES (1, 3, 'c') USING TIMESTAMP 1000",
     "INSERT INTO k.t (p, c, v) VALUES (1, 6, 'f') USING TIMESTAMP 1000",
     "INSERT INTO k.t (p, c, v) VALUES (1, 7, 'g') USING TIMESTAMP 1000",
     "INSERT INTO k.t (p, c, v) VALUES (2, 1, 'x') USING TIMESTAMP 1000",
     "INSERT INTO k.t (p, c, v) VALUES (3, 1, 'y') USING TIMESTAMP 1000",
     "INSERT INTO k.t (p, c, v) VALUES (4, 1, 'old') USING TIMESTAMP 3000",
     "UPDATE k.t USING TIMESTAMP 1000 SET s = 'stat' WHERE p = 1",
     "INSERT INTO k.t (p, c, v) VALUES (5, 1, 'ttl') USING TTL 100 AND TIMESTAMP 1000",
     "INSERT INTO k.t (p, c, v, l, st, m) VALUES (1, 4, 'lst', [3, 1, 2], {'b', 'a'}, {'k': 1}) USING TIMESTAMP 1000"],
    ["INSERT INTO k.t (p, c, v) VALUES (1, 1, 'a2') USING TIMESTAMP 2000",
     "INSERT INTO k.t (p, c, v) VALUES (1, 2, 'b-old') USING TIMESTAMP 500",
     "DELETE v FROM k.t USING TIMESTAMP 2000 WHERE p = 1 AND c = 3",
     "DELETE FROM k.t USING TIMESTAMP 2000 WHERE p = 1 AND c > 5",
     "DELETE FROM k.t USING TIMESTAMP 2000 WHERE p = 2",
     "DELETE FROM k.t USING TIMESTAMP 5 WHERE p = 3",
     "INSERT INTO k.t (p, c, v) VALUES (4, 1, 'new') USING TIMESTAMP 2000",
     # cqlite writes no complex deletion for a collection INSERT (Cassandra does), so a
     # collection overwrite is not a scenario here; an element added to a map is.
     "INSERT INTO k.t (p, c, st) VALUES (1, 5, {'only'}) USING TIMESTAMP 2000"],
    ["INSERT INTO k.t (p, c, v) VALUES (1, 2, 'tie') USING TIMESTAMP 1000",
     "INSERT INTO k.t (p, c, v) VALUES (1, 8, 'z') USING TTL 100 AND TIMESTAMP 2000"],
]
with cqlite.open(out, schema=schema, writable=True, write_dir=out) as db:
    for batch in batches:
        for statement in batch:
            db.execute(statement)
        db.flush_run()
    for row in db.execute("SELECT p, c FROM k.t"):
        print(json.dumps(row.to_dict()))
