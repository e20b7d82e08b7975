/// Streams the partitions and unfiltereds of one 3.0+ SSTable in file order.
final class RowFormatScanner {
    let sstable: SSTable
    let parser: UnfilteredParser
    private let input: DataInput

    /// The current partition's serialized key and deletion.
    private(set) var partitionKey: [UInt8] = []
    private(set) var partitionDeletion = DeletionTime.live
    /// Absolute offset of the current partition in the uncompressed data.
    private(set) var partitionOffset: Int64 = 0
    private var inPartition = false

    init(_ sstable: SSTable) throws(SSTableError) {
        guard let header = sstable.statistics.header else {
            throw SSTableError(path: sstable.descriptor.path("Statistics.db"), "no serialization header")
        }
        self.sstable = sstable
        parser = UnfilteredParser(header: header, version: sstable.descriptor.version)
        input = try DataInput(
            descriptor: sstable.descriptor, compression: sstable.compression,
            blockChecksumsPath: sstable.hasComponent("CRC.db") ? sstable.descriptor.path("CRC.db") : nil,
            digestPath: sstable.digestComponent.map { sstable.descriptor.path($0) })
    }

    /// The largest row (or partition header) read into memory at once; Cassandra caps a single
    /// value at 256 MiB by default (`max_value_size`), so a larger row means a corrupt length.
    static let maxUnfilteredSize = 512 << 20

    private enum Outcome {
        case done(Int)
        case needMore
        case failed(Int, String)
    }

    /// Runs `body` on the window from the current position, refilling and retrying while the
    /// window ends too early.
    private func withWindow(_ what: String, _ body: (inout ByteCursor) throws(CursorError) -> Void) throws(SSTableError) {
        while true {
            let outcome: Outcome = input.buffer.withUnsafeBytes { raw in
                var c = ByteCursor(raw, from: input.start)
                do throws(CursorError) {
                    try body(&c)
                    return .done(c.position)
                } catch {
                    switch error {
                    case .endOfInput: return .needMore
                    case .malformed(let at, let message): return .failed(at, message)
                    }
                }
            }
            switch outcome {
            case .done(let end):
                input.start = end
                return
            case .needMore:
                guard input.buffer.count - input.start < Self.maxUnfilteredSize else {
                    throw SSTableError(
                        path: input.path, offset: input.offset(of: input.start),
                        "\(what) is larger than \(Self.maxUnfilteredSize >> 20) MiB: a length field is corrupt")
                }
                guard try input.refill() else {
                    throw SSTableError(path: input.path, offset: input.offset(of: input.start), "file is truncated inside \(what)")
                }
            case .failed(let at, let message):
                throw SSTableError(path: input.path, offset: input.offset(of: at), message)
            }
        }
    }

    /// Moves to the next partition; false at the end of the file.
    func nextPartition() throws(SSTableError) -> Bool {
        if inPartition {
            var scratch = Unfiltered()
            while try nextUnfiltered(into: &scratch) {}
        }
        if input.isAtEnd { return false }
        if input.start >= input.buffer.count, !(try input.refill()) { return false }
        partitionOffset = input.offset(of: input.start)
        let parser = self.parser
        var key: [UInt8] = []
        var deletion = DeletionTime.live
        try withWindow("a partition header") { (c) throws(CursorError) in
            let r = try c.readShortBytes()
            deletion = try parser.readPartitionDeletion(&c)
            key = Array(UnsafeRawBufferPointer(rebasing: c.bytes[r]))
        }
        partitionKey = key
        partitionDeletion = deletion
        inPartition = true
        return true
    }

    /// Reads the next row, static row or marker of the current partition into `u`; false at its end.
    func nextUnfiltered(into u: inout Unfiltered) throws(SSTableError) -> Bool {
        guard inPartition else { return false }
        let parser = self.parser
        var more = false
        try withWindow("a row") { (c) throws(CursorError) in
            let start = c.position
            more = try parser.parse(&c, base: start, into: &u)
            if more {
                u.storage.removeAll(keepingCapacity: true)
                u.storage.append(contentsOf: UnsafeRawBufferPointer(rebasing: c.bytes[start..<c.position]))
            }
        }
        if !more { inPartition = false }
        return more
    }
}
