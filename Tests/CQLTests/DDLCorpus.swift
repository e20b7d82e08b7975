/// Real-world-style CREATE statements (as `cqlsh DESCRIBE` and hand-written files show them),
/// used for the parse → render → parse round trip.
enum DDLCorpus {
    static let text = #"""
    -- keyspaces
    CREATE KEYSPACE IF NOT EXISTS shop WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': '3', 'dc2': 2}
        AND durable_writes = true;
    CREATE KEYSPACE "Analytics" WITH REPLICATION = { 'class' : 'SimpleStrategy', 'replication_factor' : 1 };
    USE shop;

    /* user types */
    CREATE TYPE shop.address (street text, city text, zip_code int, phones set<text>);
    CREATE TYPE IF NOT EXISTS fullname (firstname text, lastname text);
    CREATE TYPE "Geo" ("Lat" double, lon double);
    CREATE TYPE shop.contact (name frozen<fullname>, home frozen<address>, tags list<text>, at frozen<"Geo">);

    // tables
    CREATE TABLE users (user_id uuid PRIMARY KEY, name text, email text, created timestamp);
    CREATE TABLE IF NOT EXISTS shop.orders (
        customer_id uuid,
        order_date date,
        order_id timeuuid,
        total decimal,
        items map<text, int>,
        PRIMARY KEY ((customer_id), order_date, order_id)
    ) WITH CLUSTERING ORDER BY (order_date DESC, order_id ASC)
        AND bloom_filter_fp_chance = 0.01
        AND caching = {'keys': 'ALL', 'rows_per_partition': 'NONE'}
        AND comment = 'it''s orders'
        AND compaction = {'class': 'org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy', 'max_threshold': '32', 'min_threshold': '4'}
        AND compression = {'chunk_length_in_kb': '64', 'class': 'org.apache.cassandra.io.compress.LZ4Compressor'}
        AND crc_check_chance = 1.0
        AND default_time_to_live = 0
        AND gc_grace_seconds = 864000
        AND speculative_retry = '99PERCENTILE';
    CREATE TABLE sensor_data (sensor_id int, bucket text, ts timestamp, value double, PRIMARY KEY ((sensor_id, bucket), ts))
        WITH CLUSTERING ORDER BY (ts DESC) AND default_time_to_live = 2592000;
    CREATE TABLE "Analytics"."PageViews" ("PageId" text, "Day" date, views counter, PRIMARY KEY ("PageId", "Day"));
    CREATE TABLE shop.carts (cart_id uuid, item_id int, owner text static, qty int, PRIMARY KEY (cart_id, item_id));
    CREATE TABLE shop.legacy (key blob PRIMARY KEY, value blob) WITH COMPACT STORAGE;
    CREATE TABLE shop.legacy_wide (k text, c1 int, c2 text, v blob, PRIMARY KEY (k, c1, c2)) WITH COMPACT STORAGE AND CLUSTERING ORDER BY (c1 DESC, c2 ASC);
    CREATE TABLE shop.all_types (
        k int PRIMARY KEY, a ascii, b bigint, bl blob, bo boolean, c text, d decimal, db double,
        du duration, f float, i inet, ii int, si smallint, ti tinyint, t text, tm time, ts timestamp, tu timeuuid,
        u uuid, vc varchar, vi varint, dt date
    );
    CREATE TABLE shop.collections (
        k int PRIMARY KEY, l list<int>, s set<text>, m map<text, frozen<list<int>>>, fl frozen<list<frozen<set<int>>>>,
        fm frozen<map<int, frozen<tuple<int, text>>>>, tup tuple<int, text, frozen<list<uuid>>>, addr address,
        faddr frozen<address>, people list<frozen<contact>>, nested map<frozen<tuple<int, int>>, frozen<map<text, text>>>
    );
    CREATE TABLE shop.counters (page text, day date, hits counter, bytes counter, PRIMARY KEY (page, day));
    CREATE TABLE shop."MixedCase" ("Id" int, "Value" text, "select" text, PRIMARY KEY ("Id"));
    CREATE TABLE shop.keywords (key text, value text, type text, date text, time text, PRIMARY KEY (key, value));
    CREATE COLUMNFAMILY shop.old_style (id int PRIMARY KEY, data text) WITH read_repair_chance = 0.0 AND dclocal_read_repair_chance = 0.1;
    CREATE TABLE shop.with_id (id int PRIMARY KEY, v text) WITH ID = 5a1c395e-b41f-11e5-9f22-ba0be0483c18 AND cdc = false;
    CREATE TABLE shop.memtable (id int PRIMARY KEY, v text) WITH memtable = 'default' AND extensions = {} AND additional_write_policy = '99p';
    CREATE TABLE shop.tiny (a int, b int, c int, d int, e int static, PRIMARY KEY ((a, b), c, d)) WITH CLUSTERING ORDER BY (c ASC, d DESC);
    CREATE TABLE shop.events (day date, hour int, seq bigint, payload blob, PRIMARY KEY (day, hour, seq)) WITH CLUSTERING ORDER BY (hour DESC, seq DESC)
        AND compaction = {'class': 'TimeWindowCompactionStrategy', 'compaction_window_size': '1', 'compaction_window_unit': 'DAYS'};
    CREATE TABLE shop.custom_t (id int PRIMARY KEY, geo 'org.apache.cassandra.db.marshal.BytesType', other 'com.example.Point');

    -- indexes and views
    CREATE INDEX users_email_idx ON users (email);
    CREATE INDEX ON shop.orders (total);
    CREATE INDEX IF NOT EXISTS items_keys ON shop.orders (KEYS(items));
    CREATE INDEX items_entries ON shop.orders (entries(items));
    CREATE CUSTOM INDEX users_name_sasi ON shop.users (name) USING 'org.apache.cassandra.index.sasi.SASIIndex' WITH OPTIONS = {'mode': 'CONTAINS'};
    CREATE MATERIALIZED VIEW shop.users_by_email AS
        SELECT * FROM shop.users WHERE email IS NOT NULL AND user_id IS NOT NULL
        PRIMARY KEY (email, user_id) WITH comment = 'by email';
    CREATE MATERIALIZED VIEW IF NOT EXISTS orders_by_day AS SELECT customer_id, order_date, order_id FROM orders
        WHERE customer_id IS NOT NULL AND order_date IS NOT NULL AND order_id IS NOT NULL
        PRIMARY KEY ((order_date), customer_id, order_id);

    -- skipped statements
    CREATE OR REPLACE FUNCTION shop.fLog (input double) CALLED ON NULL INPUT RETURNS double LANGUAGE java AS $$ return Double.valueOf(Math.log(input.doubleValue())); $$;
    CREATE FUNCTION shop.avgState (state tuple<int,bigint>, val int) CALLED ON NULL INPUT RETURNS tuple<int,bigint> LANGUAGE java AS 'if (val != null) { state.setInt(0, state.getInt(0)+1); } return state;';
    CREATE AGGREGATE shop.average (int) SFUNC avgState STYPE tuple<int,bigint> FINALFUNC avgFinal INITCOND (0,0);
    CREATE TRIGGER my_trigger ON shop.users USING 'org.example.Trigger';
    CREATE ROLE IF NOT EXISTS app WITH PASSWORD = 'x;y' AND LOGIN = true;
    ALTER TABLE shop.users ADD phone text;
    DROP TABLE IF EXISTS shop.gone;
    INSERT INTO shop.users (user_id, name) VALUES (uuid(), 'a;b');
    BEGIN BATCH INSERT INTO shop.users (user_id) VALUES (now()); APPLY BATCH;
    GRANT SELECT ON KEYSPACE shop TO app;
    """#
}
