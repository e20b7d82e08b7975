import CQL
import SSTable

/// The clustering order of generated rows (the table's types; a null component first), and what a
/// range tombstone covers: one implementation for the expected rows and for compaction.
struct GeneratedClusteringOrder: Sendable {
    let types: [CQLType]

    init(_ schema: TableSchema) { types = schema.clustering.map(\.type) }

    /// Clustering prefixes compared on their common components.
    func compare(_ a: [[UInt8]?], _ b: [[UInt8]?]) -> Int {
        for i in 0..<min(a.count, b.count) {
            switch (a[i], b[i]) {
            case (nil, nil): continue
            case (nil, _): return -1
            case (_, nil): return 1
            case (let x?, let y?):
                let c = ValueGenerator.compare(x, y, types[i])
                if c != 0 { return c }
            }
        }
        return 0
    }

    /// True when the range tombstone covers a full clustering.
    func covers(_ rt: RangeTombstone, _ c: [[UInt8]?]) -> Bool {
        let s = compare(rt.start, c)
        // A bound equal to the clustering's prefix: an inclusive start sorts before it, an
        // exclusive one after; an inclusive end after it, an exclusive one before.
        let startOK = s < 0 || (s == 0 && rt.startInclusive)
        let e = compare(rt.end, c)
        let endOK = e > 0 || (e == 0 && rt.endInclusive)
        return startOK && endOK
    }
}
