#!/usr/bin/env python3
"""Writes a small Cassandra 4.x data directory with cqlite-py: the node's system_schema tables
(keyspaces, tables, columns, types, dropped_columns, indexes, views) describing keyspace `app`, and the user
table app.users itself. SSTables land in OUT_DIR/data/<keyspace>/<table>/.
usage: system_schema.py OUT_DIR"""
import os, sys
import cqlite

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
KS = "CREATE KEYSPACE %s WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};"
system = {
    "keyspaces": "CREATE TABLE system_schema.keyspaces (keyspace_name text PRIMARY KEY, durable_writes boolean, replication frozen<map<text, text>>);",
    "tables": "CREATE TABLE system_schema.tables (keyspace_name text, table_name text, comment text, flags frozen<set<text>>, id uuid, PRIMARY KEY ((keyspace_name), table_name));",
    "columns": "CREATE TABLE system_schema.columns (keyspace_name text, table_name text, column_name text, clustering_order text, column_name_bytes blob, kind text, position int, type text, PRIMARY KEY ((keyspace_name), table_name, column_name));",
    "types": "CREATE TABLE system_schema.types (keyspace_name text, type_name text, field_names frozen<list<text>>, field_types frozen<list<text>>, PRIMARY KEY ((keyspace_name), type_name));",
    "indexes": "CREATE TABLE system_schema.indexes (keyspace_name text, table_name text, index_name text, kind text, options frozen<map<text, text>>, PRIMARY KEY ((keyspace_name), table_name, index_name));",
    "views": "CREATE TABLE system_schema.views (keyspace_name text, view_name text, base_table_id uuid, base_table_name text, include_all_columns boolean, where_clause text, PRIMARY KEY ((keyspace_name), view_name));",
    "dropped_columns": "CREATE TABLE system_schema.dropped_columns (keyspace_name text, table_name text, column_name text, dropped_time timestamp, kind text, type text, PRIMARY KEY ((keyspace_name), table_name, column_name));",
}
rows = {
    "keyspaces": [
        "INSERT INTO system_schema.keyspaces (keyspace_name, durable_writes, replication) VALUES ('app', true, {'class': 'org.apache.cassandra.locator.SimpleStrategy', 'replication_factor': '1'})",
        "INSERT INTO system_schema.keyspaces (keyspace_name, durable_writes, replication) VALUES ('system_auth', true, {'class': 'org.apache.cassandra.locator.SimpleStrategy', 'replication_factor': '1'})",
    ],
    "tables": [
        "INSERT INTO system_schema.tables (keyspace_name, table_name, comment, flags, id) VALUES ('app', 'users', '', {'compound'}, 5a1c395e-b41f-11e5-9f22-ba0be0483c18)",
        "INSERT INTO system_schema.tables (keyspace_name, table_name, comment, flags, id) VALUES ('app', 'events', '', {'compound'}, 6b2d406f-b41f-11e5-9f22-ba0be0483c18)",
        "INSERT INTO system_schema.tables (keyspace_name, table_name, comment, flags, id) VALUES ('system_auth', 'roles', '', {'compound'}, 7c3e5170-b41f-11e5-9f22-ba0be0483c18)",
    ],
    "types": [
        "INSERT INTO system_schema.types (keyspace_name, type_name, field_names, field_types) VALUES ('app', 'address', ['street', 'zip'], ['text', 'int'])",
    ],
    "columns": [
        "INSERT INTO system_schema.columns (keyspace_name, table_name, column_name, clustering_order, kind, position, type) VALUES ('app', 'users', 'org', 'none', 'partition_key', 0, 'text')",
        "INSERT INTO system_schema.columns (keyspace_name, table_name, column_name, clustering_order, kind, position, type) VALUES ('app', 'users', 'user_id', 'asc', 'clustering', 0, 'int')",
        "INSERT INTO system_schema.columns (keyspace_name, table_name, column_name, clustering_order, kind, position, type) VALUES ('app', 'events', 'id', 'none', 'partition_key', 0, 'uuid')",
        "INSERT INTO system_schema.columns (keyspace_name, table_name, column_name, clustering_order, kind, position, type) VALUES ('app', 'events', 'day', 'none', 'partition_key', 1, 'date')",
        "INSERT INTO system_schema.columns (keyspace_name, table_name, column_name, clustering_order, kind, position, type) VALUES ('app', 'events', 'at', 'desc', 'clustering', 0, 'timestamp')",
        "INSERT INTO system_schema.columns (keyspace_name, table_name, column_name, clustering_order, kind, position, type) VALUES ('app', 'events', 'tags', 'none', 'regular', -1, 'map<text, frozen<list<int>>>')",
        "INSERT INTO system_schema.columns (keyspace_name, table_name, column_name, clustering_order, kind, position, type) VALUES ('system_auth', 'roles', 'role', 'none', 'partition_key', 0, 'text')",
        "INSERT INTO system_schema.columns (keyspace_name, table_name, column_name, clustering_order, kind, position, type) VALUES ('app', 'users_by_name', 'name', 'none', 'partition_key', 0, 'text')",
        "INSERT INTO system_schema.columns (keyspace_name, table_name, column_name, clustering_order, kind, position, type) VALUES ('app', 'users_by_name', 'org', 'asc', 'clustering', 0, 'text')",
        "INSERT INTO system_schema.columns (keyspace_name, table_name, column_name, clustering_order, kind, position, type) VALUES ('app', 'users_by_name', 'user_id', 'asc', 'clustering', 1, 'int')",
        "INSERT INTO system_schema.columns (keyspace_name, table_name, column_name, clustering_order, kind, position, type) VALUES ('app', 'users', 'name', 'none', 'regular', -1, 'text')",
        "INSERT INTO system_schema.columns (keyspace_name, table_name, column_name, clustering_order, kind, position, type) VALUES ('app', 'users', 'home', 'none', 'regular', -1, 'frozen<address>')",
        "INSERT INTO system_schema.columns (keyspace_name, table_name, column_name, clustering_order, kind, position, type) VALUES ('app', 'users', 'plan', 'none', 'static', -1, 'text')",
    ],
    "indexes": [
        "INSERT INTO system_schema.indexes (keyspace_name, table_name, index_name, kind, options) VALUES ('app', 'users', 'users_name_idx', 'COMPOSITES', {'target': 'name'})",
        "INSERT INTO system_schema.indexes (keyspace_name, table_name, index_name, kind, options) VALUES ('app', 'events', 'events_tags_idx', 'COMPOSITES', {'target': 'keys(tags)'})",
    ],
    "views": [
        "INSERT INTO system_schema.views (keyspace_name, view_name, base_table_name, include_all_columns, where_clause) VALUES ('app', 'users_by_name', 'users', true, 'name IS NOT NULL')",
    ],
    "dropped_columns": [
        "INSERT INTO system_schema.dropped_columns (keyspace_name, table_name, column_name, dropped_time, kind, type) VALUES ('app', 'users', 'legacy', 1600000000000, 'regular', 'text')",
    ],
}
for table, ddl in system.items():
    schema = os.path.join(out, "system_schema.%s.cql" % table)
    with open(schema, "w") as f:
        f.write(KS % "system_schema" + "\n" + ddl + "\n")
    with cqlite.open(out, schema=schema, writable=True, write_dir=out) as db:
        for statement in rows[table]:
            db.execute(statement)
        db.flush_run()

# The user table itself, as described above (app.users).
schema = os.path.join(out, "app.users.cql")
with open(schema, "w") as f:
    f.write(KS % "app" + "\n" + "CREATE TYPE app.address (street text, zip int);\n"
            "CREATE TABLE app.users (org text, user_id int, name text, home frozen<address>, plan text static,"
            " PRIMARY KEY (org, user_id));\n")
with cqlite.open(out, schema=schema, writable=True, write_dir=out) as db:
    db.execute("INSERT INTO app.users (org, user_id, name, plan) VALUES ('acme', 1, 'ann', 'gold')")
    db.execute("INSERT INTO app.users (org, user_id, name) VALUES ('acme', 2, 'bob')")
    db.execute("INSERT INTO app.users (org, user_id, name) VALUES ('initech', 7, 'peter')")
    db.flush_run()
