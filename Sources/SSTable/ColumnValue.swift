import CQL

/// One column's value in a row, borrowed for the duration of a `RowView.withValue` callback.
public enum ColumnValue {
    case null
    /// A serialized value of the column's type: the CQL native protocol encoding (also of
    /// frozen collections, tuples and UDTs).
    case value(UnsafeRawBufferPointer)
    /// A counter's total.
    case counter(Int64)
    /// A non-frozen collection or UDT: its live cells in order (list: timeuuid path and element;
    /// set: element as path, empty value; map: key as path and value; UDT: 2-byte field index
    /// as path and field value).
    case cells(ComplexCells)
}

/// The live cells of a non-frozen collection or UDT, in Cassandra's order.
public struct ComplexCells {
    let refs: [CellRef]
    let sources: [MergeSource]
    let isStatic: Bool

    public var count: Int { refs.count }

    /// Calls `body` with each cell's path and value, in order.
    public func forEach(_ body: (_ path: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void) rethrows {
        for ref in refs {
            let source = sources[Int(ref.source)]
            let cell = source.cell(ref.index, isStatic: isStatic)
            try body(
                source.bytes(cell.pathStart, cell.pathEnd, isStatic: isStatic), source.bytes(cell.valueStart, cell.valueEnd, isStatic: isStatic))
        }
    }
}
