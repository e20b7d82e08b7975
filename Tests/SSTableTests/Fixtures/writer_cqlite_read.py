#!/usr/bin/env python3
"""Reads one table with cqlite-py (an independent SSTable reader) and prints each row as a JSON
object with scalars in cass2dynamo's SELECT JSON forms (decimals as floats, collections as-is).
usage: writer_cqlite_read.py DATA_DIR SCHEMA.cql KEYSPACE.TABLE"""
import datetime, decimal, ipaddress, json, sys, tempfile, uuid
import cqlite

data_dir, schema_file, qualified = sys.argv[1:4]
statements = [s.strip() for s in open(schema_file).read().split(";") if "CREATE" in s]
mine = [s for s in statements if "KEYSPACE" in s or "TYPE" in s or (qualified + " ") in s or (qualified + "(") in s]


def convert(v):
    if isinstance(v, (uuid.UUID, ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return str(v)
    if isinstance(v, datetime.datetime):
        return v.astimezone(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.") + "%03dZ" % (v.microsecond // 1000)
    if isinstance(v, decimal.Decimal):
        return float(v)
    return v


with tempfile.NamedTemporaryFile("w", suffix=".cql", delete=False) as f:
    f.write(";\n".join(mine) + ";\n")
with cqlite.open(data_dir, schema=f.name) as db:
    for row in db.execute("SELECT * FROM " + qualified):
        print(json.dumps({k: convert(v) for k, v in row.to_dict().items()}, default=str))
