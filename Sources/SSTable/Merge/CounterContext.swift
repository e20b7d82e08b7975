/// Counter cell values (`CounterContext`): an int16 header count, that many int16 indices
/// (global shards as index + Short.MIN, local shards as plain index), then 32-byte shards of
/// counter id, clock and count. Other shards are "remote".
enum CounterContext {
    enum ShardKind: Int { case remote = 0, local = 1, global = 2 }

    struct Shard {
        var id: (UInt64, UInt64)
        var clock: Int64
        var count: Int64
        var kind: ShardKind
    }

    /// The shards of a context, or nil when the bytes are not a valid context.
    static func shards(_ bytes: UnsafeRawBufferPointer) -> [Shard]? {
        var c = ByteCursor(bytes)
        do throws(CursorError) {
            let headerCount = Int(try c.readInt16())
            guard headerCount >= 0 else { return nil }
            var kinds: [Int: ShardKind] = [:]
            for _ in 0..<headerCount {
                let index = Int(try c.readInt16())
                if index < 0 { kinds[index - Int(Int16.min)] = .global } else { kinds[index] = .local }
            }
            guard c.remaining % 32 == 0 else { return nil }
            var shards: [Shard] = []
            var i = 0
            while !c.isAtEnd {
                let id = (try c.readBigEndian(UInt64.self), try c.readBigEndian(UInt64.self))
                shards.append(Shard(id: id, clock: try c.readInt64(), count: try c.readInt64(), kind: kinds[i] ?? .remote))
                i += 1
            }
            return shards
        } catch { return nil }
    }

    /// The counter's value: the sum of its shards' counts.
    static func total(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard let shards = shards(bytes) else { return nil }
        return shards.reduce(0) { $0 &+ $1.count }
    }

    /// The value of several contexts merged per counter id (`CounterContext.merge`): global vs
    /// global keeps the higher clock, global beats local and remote, local + local adds, remote
    /// vs remote keeps the higher clock, local beats remote.
    static func mergedTotal(_ contexts: [UnsafeRawBufferPointer]) -> Int64? {
        var merged: [[UInt64]: Shard] = [:]
        for context in contexts {
            guard let shards = shards(context) else { return nil }
            for shard in shards {
                let key = [shard.id.0, shard.id.1]
                guard let existing = merged[key] else {
                    merged[key] = shard
                    continue
                }
                merged[key] = merge(existing, shard)
            }
        }
        return merged.values.reduce(0) { $0 &+ $1.count }
    }

    private static func merge(_ a: Shard, _ b: Shard) -> Shard {
        if a.kind != b.kind { return a.kind.rawValue > b.kind.rawValue ? a : b }
        switch a.kind {
        case .local:
            var sum = a
            sum.clock = a.clock &+ b.clock
            sum.count = a.count &+ b.count
            return sum
        case .global, .remote:
            if a.clock != b.clock { return a.clock > b.clock ? a : b }
            return a.count >= b.count ? a : b
        }
    }
}
