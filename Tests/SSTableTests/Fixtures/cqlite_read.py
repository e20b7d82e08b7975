#!/usr/bin/env python3
"""Reads tables with cqlite-py (an independent SSTable reader) and prints each row as one JSON
object, scalars converted to cass2dynamo's SELECT JSON forms. Collections are left out: cqlite
0.17 returns only the last element of a non-frozen collection.
usage: cqlite_read.py DATA_DIR SCHEMA.cql KEYSPACE.TABLE..."""
import datetime, ipaddress, json, sys, tempfile, uuid
import cqlite

data_dir, schema_file, tables = sys.argv[1], sys.argv[2], sys.argv[3:]
statements = [s.strip() for s in open(schema_file).read().split(";") if "CREATE" in s]
keyspace_ddl = [s for s in statements if "KEYSPACE" in s]


def convert(v):
    if isinstance(v, uuid.UUID) or isinstance(v, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return str(v)
    if isinstance(v, datetime.datetime):
        return v.astimezone(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.") + "%03dZ" % (v.microsecond // 1000)
    return v


for qualified in tables:
    # cqlite wants one table per schema file.
    table_ddl = [s for s in statements if (qualified + " ") in s or (qualified + "(") in s]
    with tempfile.NamedTemporaryFile("w", suffix=".cql", delete=False) as f:
        f.write(";\n".join(keyspace_ddl + table_ddl) + ";\n")
    with cqlite.open(data_dir, schema=f.name) as db:
        for row in db.execute("SELECT * FROM " + qualified):
            print(json.dumps({"$table": qualified, **{k: convert(v) for k, v in row.to_dict().items()}}))
