import Foundation

/// The reading thread's end of a token range's staging: lines gathered into blocks of about
/// ``Extractor/blockBytes`` for the compressing thread (``BlockQueue``), a part ended once it
/// holds the table's part size, and the counts.
struct LineBlocks {
    let queue: BlockQueue
    let partBytes: Int
    /// The block being filled: lines are written to its end, then ``added(from:)`` counts them.
    var block: [UInt8] = []
    private var blockItems = 0
    private var partFill = 0
    private(set) var items = 0
    private(set) var uncompressed = 0

    init(queue: BlockQueue, partBytes: Int) {
        self.queue = queue
        self.partBytes = partBytes
        block.reserveCapacity(Extractor.blockBytes + 64 * 1024)
    }

    /// Counts the line written to `block` from `mark` on, and hands the block on when it is full
    /// or its part is.
    mutating func added(from mark: Int) {
        let lineBytes = block.count - mark
        items += 1
        blockItems += 1
        uncompressed += lineBytes
        partFill += lineBytes
        if partFill >= partBytes {
            flush(endPart: true)
        } else if block.count >= Extractor.blockBytes {
            flush(endPart: false)
        }
    }

    /// Hands the block on (if it holds lines), and with `endPart` ends the part.
    mutating func flush(endPart: Bool) {
        if blockItems > 0 {
            queue.push(.lines(block, blockItems))
            if let spare = queue.spare() { block = spare }
        }
        block.removeAll(keepingCapacity: true)
        blockItems = 0
        if endPart {
            queue.push(.endPart)
            partFill = 0
        }
    }
}

/// A bounded blocking queue of line blocks between the reading and the compressing thread, which
/// hands blocks it has copied back to be filled again (their pages stay mapped: no page faults).
final class BlockQueue: @unchecked Sendable {
    enum Block { case lines([UInt8], Int), endPart }
    private let condition = NSCondition()
    private var blocks: [Block] = []
    private var spares: [[UInt8]] = []
    private var closed = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func push(_ block: Block) {
        condition.lock()
        while blocks.count >= capacity && !closed { condition.wait() }
        blocks.append(block)
        condition.broadcast()
        condition.unlock()
    }

    /// The next block, or nil once closed and drained.
    func pop() -> Block? {
        condition.lock()
        defer { condition.unlock() }
        while blocks.isEmpty && !closed { condition.wait() }
        if blocks.isEmpty { return nil }
        condition.broadcast()
        return blocks.removeFirst()
    }

    /// Keeps a block's bytes (up to two) for `spare`.
    func recycle(_ bytes: [UInt8]) {
        condition.lock()
        if spares.count < 2 { spares.append(bytes) }
        condition.unlock()
    }

    /// A recycled block, if any.
    func spare() -> [UInt8]? {
        condition.lock()
        defer { condition.unlock() }
        return spares.popLast()
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
