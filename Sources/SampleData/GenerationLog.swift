import JSONCoding

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `OUT/generate.json`: what `generate` wrote into a folder, step by step — wave 1, later waves,
/// compactions — with the options every step must share, so a later step replays the earlier
/// ones exactly (the same seed gives the same updates) and gives its SSTables new generations.
public struct GenerationLog: Sendable, Equatable {
    /// One wave, or one compaction.
    public struct Step: Sendable, Equatable {
        /// The wave's number (1, 2, …); nil for a compaction.
        public var wave: Int?
        /// The wave's `now` (seconds); a compaction's runs at its wave's.
        public var now: Int64
        /// A later wave: the share of existing rows it changes.
        public var changeShare: Double
        /// A wave's SSTables (one per `sstables`), or a compaction's output.
        public var generations: [Int]
        /// A compaction's inputs, removed once its output is written.
        public var compacted: [Int]
        /// A compaction, per table (`keyspace.table`): the Statistics.db minimum timestamp of each
        /// SSTable it had then, which decides what tombstones it could purge (replayed by later steps).
        public var minTimestamps: [String: [Int: Int64]]

        public init(wave: Int?, now: Int64, changeShare: Double = 0, generations: [Int], compacted: [Int] = [], minTimestamps: [String: [Int: Int64]] = [:]) {
            self.wave = wave
            self.now = now
            self.changeShare = changeShare
            self.generations = generations
            self.compacted = compacted
            self.minTimestamps = minTimestamps
        }
    }

    public var seed: UInt64
    public var rows: Int
    public var sstables: Int
    public var format: String
    /// The schema the tables were generated for (`OUT/schema.cql`).
    public var cql: String
    public var steps: [Step]

    public init(seed: UInt64, rows: Int, sstables: Int, format: String, cql: String, steps: [Step]) {
        self.seed = seed
        self.rows = rows
        self.sstables = sstables
        self.format = format
        self.cql = cql
        self.steps = steps
    }

    public static let fileName = "generate.json"

    /// The last wave's number and `now`.
    public var lastWave: (number: Int, now: Int64) {
        let last = steps.last { $0.wave != nil }!
        return (last.wave!, last.now)
    }

    /// The first generation no step has used.
    public var nextGeneration: Int { (steps.flatMap(\.generations).max() ?? 0) + 1 }

    /// Generations written and not compacted away after the first `count` steps.
    public func liveGenerations(after count: Int) -> Set<Int> {
        var live = Set<Int>()
        for step in steps.prefix(count) {
            live.subtract(step.compacted)
            live.formUnion(step.generations)
        }
        return live
    }

    /// Reads `<out>/generate.json`; nil when there is none.
    public static func load(out: String) throws -> GenerationLog? {
        let path = out + "/" + fileName
        guard let bytes = FileBytes.read(path) else { return nil }
        func bad(_ what: String) -> GenerationLogError { GenerationLogError("\(path): \(what)") }
        let json: JSONValue
        do { json = try JSONValue.parse(bytes) } catch { throw bad("not JSON: \(error)") }
        guard let seed = json["seed"].flatMap({ if case .number(let t) = $0 { UInt64(t) } else { nil } }),
              let rows = json["rows"]?.int64Value, let sstables = json["sstables"]?.int64Value,
              let format = json["format"]?.stringValue, let cql = json["cql"]?.stringValue, let list = json["steps"]?.arrayValue
        else { throw bad("missing seed, rows, sstables, format, cql or steps") }
        var steps: [Step] = []
        for s in list {
            guard let now = s["now"]?.int64Value, let generations = s["generations"]?.arrayValue?.compactMap(\.int64Value) else {
                throw bad("a step without now or generations")
            }
            var minTimestamps: [String: [Int: Int64]] = [:]
            for table in s["minTimestamps"]?.objectValue ?? [] {
                for entry in table.value.objectValue ?? [] {
                    guard let generation = Int(entry.name), let ts = entry.value.int64Value else { throw bad("a minimum timestamp that is not a number") }
                    minTimestamps[table.name, default: [:]][generation] = ts
                }
            }
            steps.append(Step(
                wave: s["wave"]?.int64Value.map(Int.init), now: now, changeShare: s["changeShare"]?.doubleValue ?? 0,
                generations: generations.map(Int.init), compacted: (s["compacted"]?.arrayValue ?? []).compactMap(\.int64Value).map(Int.init),
                minTimestamps: minTimestamps))
        }
        guard steps.first?.wave == 1 else { throw bad("the first step is not wave 1") }
        return GenerationLog(seed: seed, rows: Int(rows), sstables: Int(sstables), format: format, cql: cql, steps: steps)
    }

    /// Writes `<out>/generate.json`.
    public func save(out: String) throws {
        func numbers(_ values: [Int]) -> JSONValue { .array(values.map { .number(String($0)) }) }
        let json = JSONValue.object([
            JSONMember("seed", .number(String(seed))), JSONMember("rows", .number(String(rows))),
            JSONMember("sstables", .number(String(sstables))), JSONMember("format", .string(format)), JSONMember("cql", .string(cql)),
            JSONMember("steps", .array(steps.map { s in
                var members = [JSONMember("now", .number(String(s.now))), JSONMember("generations", numbers(s.generations))]
                if let wave = s.wave { members.insert(JSONMember("wave", .number(String(wave))), at: 0) }
                if s.wave != 1, s.wave != nil { members.append(JSONMember("changeShare", .number(String(s.changeShare)))) }
                if !s.compacted.isEmpty { members.append(JSONMember("compacted", numbers(s.compacted))) }
                if !s.minTimestamps.isEmpty {
                    members.append(JSONMember("minTimestamps", .object(s.minTimestamps.sorted { $0.key < $1.key }.map { table, stamps in
                        JSONMember(table, .object(stamps.sorted { $0.key < $1.key }.map { JSONMember(String($0.key), .number(String($0.value))) }))
                    })))
                }
                return .object(members)
            })),
        ])
        let path = out + "/" + Self.fileName
        guard let f = fopen(path, "wb") else { throw GenerationLogError("\(path): cannot create: \(String(cString: strerror(errno)))") }
        defer { fclose(f) }
        let bytes = Array((json.description + "\n").utf8)
        guard fwrite(bytes, 1, bytes.count, f) == bytes.count else { throw GenerationLogError("\(path): write failed") }
    }
}

/// A generation log that cannot be read or written, or a step it refuses.
public struct GenerationLogError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
