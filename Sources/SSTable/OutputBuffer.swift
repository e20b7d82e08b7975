/// Bytes that rows write their JSON into in place (`RowView.appendJSONLine(to:)`): memory of its
/// own, so a row costs no uniqueness check and no copy through a scratch buffer. Its owner writes
/// `bytes` out and calls `removeAll()` when it has grown large.
public struct OutputBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes held.
    public private(set) var count = 0

    public init(capacity: Int = 1 << 16) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes held, valid until the buffer next changes.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    public mutating func removeAll() { count = 0 }

    public mutating func append(contentsOf bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        UnsafeMutableRawPointer(reserve(bytes.count)).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// Room for `n` more bytes after the ones held: where they go. `commit` then counts them in.
    @inline(__always)
    mutating func reserve(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if count + n > capacity { grow(to: count + n) }
        return base + count
    }

    /// Counts in `n` bytes written where `reserve` pointed.
    @inline(__always)
    mutating func commit(_ n: Int) {
        precondition(n >= 0 && count + n <= capacity, "OutputBuffer.commit past the reserved room")
        count += n
    }

    /// Drops the bytes after the first `n` (a row that failed half-written).
    mutating func truncate(to n: Int) { count = min(count, max(n, 0)) }

    private mutating func grow(to minimum: Int) {
        let grown = max(minimum, capacity * 2)
        let new = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        new.update(from: base, count: count)
        base.deallocate()
        base = new
        capacity = grown
    }
}
