/// A growable list of plain records (cells, clustering slots) in memory of its own: the per-row
/// lists of `Unfiltered`. Its address and count are kept inline, so reading an element touches
/// no reference count, and appending checks no uniqueness.
///
/// Copies share the memory (they are rare: a static row kept aside, a 2.x range bound). A list is
/// appended to only after `removeAll()`, which gives a shared list fresh memory, so a copy never
/// sees the original change; debug builds check that no append reaches a shared list.
struct RecordList<Element: BitwiseCopyable>: RandomAccessCollection {
    private final class Storage {
        let base: UnsafeMutablePointer<Element>
        init(capacity: Int) { base = .allocate(capacity: capacity) }
        deinit { base.deallocate() }
    }

    private var storage: Storage?
    /// The first element; nil until something is appended.
    private(set) var base: UnsafeMutablePointer<Element>?
    private(set) var count = 0
    private var capacity = 0

    init() {}

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    @inline(__always)
    subscript(i: Int) -> Element {
        precondition(UInt(bitPattern: i) < UInt(bitPattern: count), "RecordList index out of range")
        return base.unsafelyUnwrapped[i]
    }

    /// The elements, valid while the list lives unchanged.
    var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    @inline(__always)
    mutating func append(_ element: Element) {
        assert(storage == nil || isKnownUniquelyReferenced(&storage), "append to a shared RecordList")
        if count == capacity { grow(to: count + 1) }
        (base.unsafelyUnwrapped + count).initialize(to: element)
        count += 1
    }

    /// Empties the list, keeping its memory unless a copy shares it.
    @inline(__always)
    mutating func removeAll() {
        if storage != nil, !isKnownUniquelyReferenced(&storage) {
            storage = nil
            base = nil
            capacity = 0
        }
        count = 0
    }

    /// Room for at least `minimum` elements, keeping the ones held.
    private mutating func grow(to minimum: Int) {
        let grown = Swift.max(8, capacity * 2, minimum)
        let new = Storage(capacity: grown)
        if let base { new.base.initialize(from: base, count: count) }
        storage = new
        base = new.base
        capacity = grown
    }
}

extension RecordList<UInt8> {
    /// The bytes, valid while the list lives unchanged.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(buffer) }

    mutating func append(contentsOf bytes: UnsafeRawBufferPointer) {
        assert(storage == nil || isKnownUniquelyReferenced(&storage), "append to a shared RecordList")
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        UnsafeMutableRawPointer(base.unsafelyUnwrapped + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }
}
