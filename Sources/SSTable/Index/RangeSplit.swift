extension TableReader {
    /// `range` cut into at most `count` consecutive ranges holding about equal shares of the
    /// table's Data.db bytes, for workers that read one table together.
    ///
    /// The shares are judged from each `big` SSTable's Summary.db, whose samples (a key every
    /// `min_index_interval` partitions) each stand for an equal part of that SSTable's bytes;
    /// an SSTable without a readable summary (BTI, missing or damaged) is taken as spread evenly
    /// over the ring. Murmur3 and Random partitioners (Random on ``TokenRange``'s scaled bounds);
    /// other partitioners, or `count` ≤ 1, give `[range]`. Wide partitions of uneven size make
    /// the shares uneven: callers cut more ranges than they have workers.
    public func split(_ range: TokenRange, into count: Int) -> [TokenRange] {
        guard count > 1, range.isValid, partitioner == .murmur3 || partitioner == .random else { return [range] }
        // (ring position, bytes) of every sample inside the range.
        var points: [(position: Int64, bytes: Double)] = []
        for sstable in sstables {
            let bytes = Double(sstable.uncompressedLength)
            if let summary = try? IndexSummary.read(sstable.descriptor.path("Summary.db"), version: sstable.descriptor.version),
               sstable.descriptor.version.format == "big", !summary.keys.isEmpty {
                // Enough samples to place the cuts; a huge summary is thinned evenly.
                let step = max(1, summary.keys.count / 4096)
                let weight = bytes * Double(step) / Double(summary.keys.count)
                for i in stride(from: 0, to: summary.keys.count, by: step) {
                    let position = ringPosition(of: summary.keys[i])
                    if position > range.start && position <= range.end { points.append((position, weight)) }
                }
            } else {
                let spread = 256
                let width = (Double(range.end) - Double(range.start)) / Double(spread)
                let weight = bytes * range.fraction / Double(spread)
                for i in 1...spread {
                    let position = i == spread ? range.end : Int64(clamping: Int64(Double(range.start) + width * Double(i)))
                    if position > range.start { points.append((position, weight)) }
                }
            }
        }
        points.sort { $0.position < $1.position }
        let total = points.reduce(0) { $0 + $1.bytes }
        guard total > 0 else { return [range] }
        var bounds: [Int64] = []
        var sum = 0.0
        var next = 1
        for point in points where next < count {
            sum += point.bytes
            if sum >= total * Double(next) / Double(count) {
                let last = bounds.last ?? range.start
                if point.position < range.end && point.position > last { bounds.append(point.position) }
                while next < count && sum >= total * Double(next) / Double(count) { next += 1 }
            }
        }
        var out: [TokenRange] = []
        var start = range.start
        for bound in bounds + [range.end] {
            out.append(TokenRange(start: start, end: bound))
            start = bound
        }
        return out
    }

    /// A partition's place on the ring as a ``TokenRange`` bound sees it: its Murmur3 token, or
    /// its RandomPartitioner token scaled down to 64 bits (the largest bound at or below it).
    private func ringPosition(of key: [UInt8]) -> Int64 {
        switch partitioner.position(of: key).token {
        case .long(let token): return token
        case .bytes(let token):
            let high = TokenRange.random(token) >> 63
            return Int64(bitPattern: (high > UInt128(UInt64.max) ? UInt64.max : UInt64(high)) ^ (1 << 63))
        case .none: return .max
        }
    }
}
