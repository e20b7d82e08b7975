import CQL

/// Cassandra's `ClusteringComparator`: the order of rows and range tombstone bounds.
enum ClusteringOrder {
    /// Compares two unfiltereds (rows or bounds) by clustering values, then bound kind: a bound
    /// that is a prefix of a row sorts before or after it as its kind says.
    static func compare(_ a: Unfiltered, _ b: Unfiltered, types: [CQLType]) -> Int {
        let n = min(a.clustering.count, b.clustering.count)
        for i in 0..<n {
            let x = a.clustering[i], y = b.clustering[i]
            if x.isNull || y.isNull {
                if x.isNull != y.isNull { return x.isNull ? -1 : 1 }
                continue
            }
            let order = types[i].compare(a.bytes(x.start, x.end), b.bytes(y.start, y.end))
            if order != 0 { return order }
        }
        if a.clustering.count == b.clustering.count {
            return a.boundKind.comparisonOrder - b.boundKind.comparisonOrder
        }
        return a.clustering.count < b.clustering.count ? a.boundKind.comparedToClustering : -b.boundKind.comparedToClustering
    }
}
