#!/usr/bin/env python3
"""Writes the sample keyspace Samples/shop/ with cqlite-py, an SSTable writer independent of
cass2dynamo: two flushes per table, so the reader has to merge overwrites and deletions.
Usage: python3 Samples/make_shop.py   (needs `pip install cqlite-py`)"""
import os, shutil, tempfile
import cqlite

here = os.path.dirname(os.path.abspath(__file__))
work = tempfile.mkdtemp()


def open_table(name):
    """cqlite writes one table per handle: give it the keyspace and that table's CREATE."""
    text = open(os.path.join(here, "shop.cql")).read()
    statements = [s.strip() for s in text.split(";") if "CREATE" in s]
    keep = [s for s in statements if "KEYSPACE" in s or ("shop.%s " % name) in s]
    path = os.path.join(work, name + ".cql")
    with open(path, "w") as f:
        f.write(";\n".join(keep) + ";\n")
    return cqlite.open(work, schema=path, writable=True, write_dir=work)


customers = [
    ("11111111-1111-4111-8111-111111111111", "Ada Lovelace", "ada@example.com", 3, "{'vip', 'early'}", "{'lang': 'en', 'theme': 'dark'}", 1420070400000, "true"),
    ("22222222-2222-4222-8222-222222222222", "Grace Hopper", "grace@example.com", 2, "{'navy'}", "{'lang': 'en'}", 1451606400123, "true"),
    ("33333333-3333-4333-8333-333333333333", "Alan Turing", "alan@example.com", 1, "{'enigma'}", "{'lang': 'en'}", 1483228800000, "false"),
    ("44444444-4444-4444-8444-444444444444", "Edsger Dijkstra", "ew@example.com", 2, "{'goto-free'}", "{'lang': 'nl'}", 1514764800000, "true"),
]
with open_table("customers") as db:
    for c in customers:
        db.execute("INSERT INTO shop.customers (id, name, email, tier, tags, prefs, signed_up, active) "
                   "VALUES (%s, '%s', '%s', %d, %s, %s, %d, %s)" % c)
    db.flush_run()
    # Second SSTable: an overwrite, a deletion and a new row.
    db.execute("UPDATE shop.customers SET tier = 4, email = 'ada@analytical.engine' WHERE id = %s" % customers[0][0])
    db.execute("DELETE FROM shop.customers WHERE id = %s" % customers[2][0])
    db.execute("INSERT INTO shop.customers (id, name, email, tier, active) VALUES "
               "(55555555-5555-4555-8555-555555555555, 'Barbara Liskov', 'liskov@example.com', 3, true)")
    db.flush_run()

with open_table("orders") as db:
    for i, (cid, year, ts, status, total, items) in enumerate([
        (customers[0][0], 2024, 1704164645678, "shipped", 19.5, "['pen', 'ink']"),
        (customers[0][0], 2024, 1706842245000, "new", 7.25, "['paper']"),
        (customers[0][0], 2023, 1672531200000, "delivered", 120.0, "['desk']"),
        (customers[1][0], 2024, 1709251200000, "new", 3.0, "['stamp']"),
    ]):
        db.execute("INSERT INTO shop.orders (customer_id, year, placed_at, order_id, status, total, items, shipped_from) "
                   "VALUES (%s, %d, %d, 50554d6e-29bb-11e5-b345-feff819cdc%02x, '%s', %s, %s, '10.0.0.%d')"
                   % (cid, year, ts, i, status, total, items, i + 1))
    db.flush_run()
    db.execute("UPDATE shop.orders SET status = 'shipped' WHERE customer_id = %s AND year = 2024 "
               "AND placed_at = 1706842245000 AND order_id = 50554d6e-29bb-11e5-b345-feff819cdc01" % customers[0][0])
    db.execute("DELETE FROM shop.orders WHERE customer_id = %s AND year = 2023" % customers[0][0])
    db.flush_run()

out = os.path.join(here, "shop")
shutil.rmtree(out, ignore_errors=True)
shutil.copytree(os.path.join(work, "data", "shop"), out)
shutil.rmtree(work)
print("wrote", out)
