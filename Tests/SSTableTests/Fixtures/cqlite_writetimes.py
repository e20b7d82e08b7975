#!/usr/bin/env python3
"""Prints the smallest and largest WRITETIME(column) of a table as cqlite-py (an independent
SSTable reader) reads it: one JSON object {"min": ..., "max": ...}.
usage: cqlite_writetimes.py TABLE_DIR SCHEMA.cql KEYSPACE.TABLE COLUMN"""
import json, os, sys, tempfile
import cqlite

table_dir, schema_file, qualified, column = sys.argv[1:5]
keyspace, table = qualified.split(".")
statements = [s.strip() for s in open(schema_file).read().split(";") if "CREATE" in s]
ddl = [s for s in statements if "KEYSPACE" in s or (qualified + " ") in s or (qualified + "(") in s]
root = tempfile.mkdtemp()
# cqlite finds a table in DATA_DIR/<keyspace>/<table>-<32 hex digits>/.
os.makedirs(os.path.join(root, keyspace))
os.symlink(os.path.abspath(table_dir), os.path.join(root, keyspace, table + "-" + "0" * 32))
with open(os.path.join(root, "schema.cql"), "w") as f:
    f.write(";\n".join(ddl) + ";\n")
with cqlite.open(root, schema=os.path.join(root, "schema.cql")) as db:
    times = [list(row.to_dict().values())[0] for row in db.execute("SELECT WRITETIME(%s) FROM %s" % (column, qualified))]
print(json.dumps({"min": min(times), "max": max(times), "rows": len(times)}))
