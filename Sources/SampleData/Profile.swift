import CQL

/// A built-in workload: a table's CQL, how its data is shaped, and value makers that make the
/// data look like the real thing (sensor time series, user profiles, counters, orders).
public struct Profile: Sendable {
    public var name: String
    /// CREATE TYPE / CREATE TABLE statements (one table).
    public var cql: String
    public var shape: Shape
    /// Sets custom value makers on a generator for this profile's table.
    var customize: @Sendable (inout TableGenerator) -> Void = { _ in }

    /// Every built-in profile, by name.
    public static let all: [Profile] = [iot, users, counters, orders]

    public static func named(_ name: String) -> Profile? { all.first { $0.name == name } }

    /// Sensor readings: wide partitions, newest first (DESC), narrow rows, most writes with TTLs.
    public static let iot: Profile = {
        var shape = Shape()
        shape.rowsPerPartition = 200...1200
        shape.overlap = 0.5
        shape.rewriteShare = 0.05
        shape.insertChance = 1
        shape.cellChance = 0.95
        shape.cellDeleteChance = 0.01
        shape.rowDeleteChance = 0.01
        shape.rangeDeleteChance = 0.2
        shape.ttlChance = 0.6
        shape.ttls = [14 * 86400, Shape.expiresAfterNow, 180 * 86400, 365 * 86400]
        shape.partitionDeleteChance = 0.01
        var p = Profile(name: "iot", cql: """
            CREATE TABLE iot.readings (
                sensor_id uuid,
                ts timestamp,
                value double,
                unit text,
                quality int,
                PRIMARY KEY (sensor_id, ts)
            ) WITH CLUSTERING ORDER BY (ts DESC);
            """, shape: shape)
        p.customize = { g in
            let start = (g.now - 60 * 86400) * 1000
            g.clusteringMaker = { rng, row in
                var ts: [UInt8] = []
                ts.appendBE(UInt64(start + Int64(row) * 60_000 + Int64(rng.int(0..<1000))), bytes: 8)
                return [ts]
            }
            g.valueMakers["unit"] = { rng, _ in Array(rng.pick(["C", "F", "%RH", "hPa", "lux"]).utf8) }
            g.valueMakers["value"] = { rng, _ in
                var out: [UInt8] = []
                out.appendBE((Double(rng.int(-4000...12000)) / 100).bitPattern, bytes: 8)
                return out
            }
            g.valueMakers["quality"] = { rng, _ in
                var out: [UInt8] = []
                out.appendBE(UInt64(rng.int(0...100)), bytes: 4)
                return out
            }
        }
        return p
    }()

    /// User profiles: static account columns (text, frozen UDT, set), sessions with collections.
    public static let users: Profile = {
        var shape = Shape()
        shape.rowsPerPartition = 1...12
        shape.valueSize = 4
        shape.staticChance = 0.8
        return Profile(name: "users", cql: """
            CREATE TYPE users.address (street text, city text, zip text);
            CREATE TABLE users.profiles (
                user_id uuid,
                session_start timestamp,
                email text STATIC,
                display_name text STATIC,
                home frozen<address> STATIC,
                tags set<text> STATIC,
                device text,
                ip inet,
                pages list<text>,
                attrs map<text, int>,
                PRIMARY KEY (user_id, session_start)
            );
            """, shape: shape)
    }()

    /// Page counters: counter columns merged across SSTables shard by shard.
    public static let counters: Profile = {
        var shape = Shape()
        shape.rowsPerPartition = 1...30
        shape.overlap = 0.7
        shape.rewriteShare = 0.5
        return Profile(name: "counters", cql: """
            CREATE TABLE stats.page_views (
                page text,
                day date,
                views counter,
                clicks counter,
                PRIMARY KEY (page, day)
            );
            """, shape: shape)
    }()

    /// Orders by customer and month: a composite partition key, decimals, a map of items.
    public static let orders: Profile = {
        var shape = Shape()
        shape.rowsPerPartition = 1...20
        shape.rowDeleteChance = 0.08
        var p = Profile(name: "orders", cql: """
            CREATE TABLE shop.orders (
                customer_id uuid,
                order_month text,
                order_id timeuuid,
                status text,
                total decimal,
                items map<text, int>,
                note text,
                PRIMARY KEY ((customer_id, order_month), order_id)
            );
            """, shape: shape)
        p.customize = { g in
            g.valueMakers["order_month"] = { rng, _ in
                let m = rng.int(1...12)
                return Array("2025-\(m < 10 ? "0" : "")\(m)".utf8)
            }
            g.valueMakers["status"] = { rng, _ in Array(rng.pick(["new", "paid", "shipped", "delivered", "returned"]).utf8) }
        }
        return p
    }()

    /// The profile's table schema.
    public func schema() throws -> TableSchema {
        let parsed = try CQLSchema.parse(cql)
        guard let t = parsed.tables.first else { throw CQLSchemaError("profile \(name) has no table") }
        return t
    }

    /// A generator set up with this profile's shape and value makers.
    public func generator(now: Int64) throws -> TableGenerator {
        var g = TableGenerator(schema: try schema(), shape: shape, now: now)
        customize(&g)
        return g
    }
}
