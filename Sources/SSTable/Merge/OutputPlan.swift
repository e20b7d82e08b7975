import CQL

/// Where each output column's value comes from and how it is written as JSON, worked out once
/// per table so that reading a row copies no layout or schema.
final class OutputPlan {
    enum Access {
        /// The whole partition key (a single key column).
        case wholeKey
        /// Component `index` of a composite partition key of `count` columns.
        case keyComponent(index: Int, count: Int)
        case clustering(Int)
        case simple(slot: Int, isStatic: Bool)
        case counter(slot: Int, isStatic: Bool)
        case complex(slot: Int, isStatic: Bool)
    }

    // Owned buffers (freed in deinit), so the per-row path reads them without reference counting.
    /// Per output column (`TableLayout.outputColumns`).
    let access: UnsafeMutableBufferPointer<Access>
    /// Per output column: its type for `SELECT JSON`, without `reversed`.
    let jsonTypes: UnsafeMutableBufferPointer<CQLType>
    /// Per output column: how its values' short JSON is written.
    let shortKinds: UnsafeMutableBufferPointer<ShortJSONKind>
    /// `{"a":`, then `,"b":` and so on, in one buffer (and 16 bytes of padding); column i's
    /// piece ends at `jsonKeyEnds[i]`.
    let jsonKeys: UnsafeMutableBufferPointer<UInt8>
    let jsonKeyEnds: UnsafeMutableBufferPointer<Int>
    /// The leading output columns that are the partition key's.
    let partitionKeyCount: Int

    private static func owned<T>(_ elements: [T]) -> UnsafeMutableBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: elements.count)
        _ = buffer.initialize(from: elements)
        return buffer
    }

    deinit {
        access.deallocate()
        jsonTypes.deinitialize().deallocate()
        shortKinds.deallocate()
        jsonKeys.deallocate()
        jsonKeyEnds.deallocate()
    }

    init(layout: TableLayout) {
        let schema = layout.schema
        let keyCount = schema.partitionKey.count
        partitionKeyCount = keyCount
        var access: [Access] = keyCount == 1
            ? [.wholeKey] : (0..<keyCount).map { .keyComponent(index: $0, count: keyCount) }
        access += schema.clustering.indices.map { .clustering($0) }
        for slotIndex in layout.outputOrder {
            let slot = layout.slots[slotIndex]
            if slot.isComplex {
                access.append(.complex(slot: slotIndex, isStatic: slot.isStatic))
            } else if slot.isCounter {
                access.append(.counter(slot: slotIndex, isStatic: slot.isStatic))
            } else {
                access.append(.simple(slot: slotIndex, isStatic: slot.isStatic))
            }
        }
        self.access = Self.owned(access)
        jsonTypes = Self.owned(layout.outputColumns.map(\.type.unreversed))
        shortKinds = Self.owned(layout.outputColumns.map(\.type.unreversed.shortJSONKind))
        var keys: [UInt8] = []
        var ends: [Int] = []
        for (i, name) in layout.outputNames.enumerated() {
            keys.append(i == 0 ? UInt8(ascii: "{") : UInt8(ascii: ","))
            keys.append(contentsOf: name)
            ends.append(keys.count)
        }
        // 16 bytes of padding: a key is copied with one 16-byte move, which may read past its end.
        jsonKeys = Self.owned(keys + [UInt8](repeating: 0, count: 16))
        jsonKeyEnds = Self.owned(ends)
    }
}
