import CQL
import SSTable

/// A table's generation log replayed key by key: the same seed gives every wave's keys and
/// updates again, and each compaction's output, so a later step writes only its own SSTables.
struct Replay {
    private let writer: SampleWriter
    private let generator: TableGenerator
    private let steps: [GenerationLog.Step]
    /// Steps from this one on are written; those before are only replayed.
    private let done: Int
    private let name: String
    /// Every wave's keys, in the partitioner's order.
    let keys: [[UInt8]]
    /// Per key: the wave that made it and its index there (its random streams).
    private let origin: [[UInt8]: (wave: Int, index: Int)]
    /// Per wave: its generator, and the previous wave's `now`.
    private let generators: [Int: TableGenerator]
    private let previousNow: [Int: Int64]
    /// Per compaction step: the minimum timestamp of each SSTable the table had then.
    var minTimestamps: [Int: [Int: Int64]]
    /// Per compaction step: its merge and purge rules.
    private let compactions: [Int: Compaction]

    init(writer: SampleWriter, generator: TableGenerator, rows: Int, steps: [GenerationLog.Step], done: Int) {
        self.writer = writer
        self.generator = generator
        self.steps = steps
        self.done = done
        let schema = generator.schema
        name = schema.keyspace + "." + schema.name
        var rng = SampleRandom(seed: writer.seed, stream: SampleWriter.hash(name))
        let width = schema.clustering.isEmpty ? 1 : (generator.shape.rowsPerPartition.lowerBound + generator.shape.rowsPerPartition.upperBound + 1) / 2
        let partitions = max(1, rows / max(1, width))
        let firstKeys = SSTableWriter.sortKeys((0..<partitions).map { _ in generator.randomKey(&rng) }, partitioner: writer.options.partitioner)
        var origin: [[UInt8]: (wave: Int, index: Int)] = [:]
        for (i, key) in firstKeys.enumerated() { origin[key] = (1, i) }
        var generators = [1: generator]
        var previousNow: [Int: Int64] = [:]
        var minTimestamps: [Int: [Int: Int64]] = [:]
        for (s, step) in steps.enumerated() {
            guard let w = step.wave else {
                minTimestamps[s] = step.minTimestamps[name]
                continue
            }
            guard w > 1 else { continue }
            previousNow[w] = generators[w - 1]!.now
            let g = generator.laterWave(w, after: previousNow[w]!, now: step.now)
            generators[w] = g
            // New partitions: about 0.3 × the share of the first wave's count.
            var keyRNG = SampleRandom(seed: writer.seed, stream: SampleWriter.hash(name + "#\(w)"))
            let expected = Double(firstKeys.count) * step.changeShare * 0.3
            let count = Int(expected) + (keyRNG.chance(expected - expected.rounded(.down)) ? 1 : 0)
            var made = 0
            for _ in 0..<(count * 4) where made < count {
                let key = g.randomKey(&keyRNG)
                if origin[key] == nil {
                    origin[key] = (w, made)
                    made += 1
                }
            }
        }
        keys = SSTableWriter.sortKeys(Array(origin.keys), partitioner: writer.options.partitioner)
        self.origin = origin
        self.generators = generators
        self.previousNow = previousNow
        self.minTimestamps = minTimestamps
        var compactions: [Int: Compaction] = [:]
        for (s, step) in steps.enumerated() where step.wave == nil { compactions[s] = Compaction(schema: schema, now: step.now) }
        self.compactions = compactions
    }

    /// Replays the steps before `end` for `key`: the updates of steps from `done` on go to the
    /// writers given for their generations, the changes of those waves are counted in `tally`.
    /// Returns every update made to the key (compactions change none).
    func replay(_ key: [UInt8], through end: Int, writers: [Int: SSTableWriter], tally: inout WaveTally) throws -> [PartitionUpdate] {
        let (o, index) = origin[key]!
        var all: [PartitionUpdate] = []
        // What each SSTable generation holds of the key.
        var placed: [Int: [PartitionUpdate]] = [:]
        func put(_ update: PartitionUpdate, _ generation: Int, _ step: Int) throws {
            placed[generation, default: []].append(update)
            if step >= done, let w = writers[generation] { try w.append(update) }
        }
        for (s, step) in steps.prefix(end).enumerated() {
            guard let w = step.wave else {
                let inputs = step.compacted.flatMap { placed.removeValue(forKey: $0) ?? [] }
                guard !inputs.isEmpty else { continue }
                let stamps = minTimestamps[s] ?? [:]
                let maxPurgeable = placed.keys.map { stamps[$0] ?? .min }.min() ?? .max
                if let merged = compactions[s]!.compact(inputs, maxPurgeable: maxPurgeable) {
                    try put(merged, step.generations[0], s)
                }
                continue
            }
            guard o <= w else { continue }
            if w == 1 {
                var partitionRNG = SampleRandom(seed: writer.seed, stream: SampleWriter.hash(generator.schema.name) &+ UInt64(index))
                for (k, u) in generator.partition(key: key, sstables: writer.sstables, &partitionRNG).enumerated() {
                    guard let u else { continue }
                    all.append(u)
                    try put(u, step.generations[k], s)
                }
                continue
            }
            let g = generators[w]!
            var waveRNG = SampleRandom(seed: writer.seed, stream: SampleWriter.hash(name + "#\(w)#\(o)") &+ UInt64(index))
            var changes = WaveTally()
            if o < w { changes.expiredSincePreviousWave = g.expiring(all, after: previousNow[w]!) }
            let update = o == w ? g.newPartition(key: key, &waveRNG, tally: &changes) : g.change(of: all, share: step.changeShare, &waveRNG, tally: &changes)
            if let update {
                all.append(update)
                try put(update, step.generations[waveRNG.int(0..<step.generations.count)], s)
            }
            if s >= done { tally.add(changes) }
        }
        return all
    }
}
