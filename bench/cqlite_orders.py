"""Writes shop.orders (text, numbers, a set, a map) with cqlite-py's writer: data no code of ours
produced. usage: cqlite_orders.py OUT ROWS [ROWS_PER_SSTABLE]; OUT/schema.cql holds the schema."""
import os, random, sys
import cqlite

out, rows = sys.argv[1], int(sys.argv[2])
per_sstable = int(sys.argv[3]) if len(sys.argv) > 3 else 200000
schema = os.path.join(out, "schema.cql")
with open(schema, "w") as f:
    f.write("CREATE KEYSPACE shop WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};\n"
            "CREATE TABLE shop.orders (customer int, placed int, item text, email text, total double, qty int,"
            " tags set<text>, attrs map<text, text>, PRIMARY KEY (customer, placed));\n")
rng = random.Random(7)
words = ["red", "blue", "green", "large", "small", "gift", "sale", "new", "eco", "fast"]
with cqlite.open(out, schema=schema, writable=True, write_dir=out) as db:
    for i in range(rows):
        c = rng.randrange(rows // 20 + 1)
        tags = "{" + ", ".join("'%s'" % w for w in rng.sample(words, rng.randrange(4))) + "}"
        attrs = "{'colour': '%s', 'size': '%d'}" % (rng.choice(words), rng.randrange(50))
        db.execute("INSERT INTO shop.orders (customer, placed, item, email, total, qty, tags, attrs) VALUES "
                   "(%d, %d, 'item-%d %s', 'user%d@example.com', %.2f, %d, %s, %s) USING TIMESTAMP %d"
                   % (c, i, rng.randrange(100000), rng.choice(words), c, rng.random() * 500, rng.randrange(1, 9), tags, attrs, 1000 + i))
        if i % per_sstable == per_sstable - 1:
            db.flush_run()
    db.flush_run()
