/// The nodes of an on-disk BTI trie (`TrieNode`) and their payloads, read through a window of
/// 8 KiB aligned to 4 KiB pages, so a lookup reads a few pages, not the file. Partitions.db
/// holds one trie; Rows.db one per wide partition.
final class TrieFile {
    let path: String
    let file: any RandomAccessSource
    /// Nodes and payloads lie before this offset.
    let end: Int64
    private var window: [UInt8] = []
    private var windowBase: Int64 = 0

    static let windowSize = 8192

    init(path: String, file: any RandomAccessSource, end: Int64) {
        self.path = path
        self.file = file
        self.end = end
    }

    /// The node at `position`.
    func node(at position: Int64) throws(SSTableError) -> TrieNode {
        guard position >= 0, position < end else {
            throw SSTableError(path: path, offset: position, "trie node position is outside the trie (\(end) bytes)")
        }
        try load(position, count: TrieNode.maxSize)
        let offset = Int(position - windowBase)
        let base = windowBase
        let parsed: Result<TrieNode, CursorError> = window.withUnsafeBytes { raw in
            do throws(CursorError) { return .success(try TrieNode.parse(raw, at: offset, base: base)) } catch { return .failure(error) }
        }
        switch parsed {
        case .success(let node): return node
        case .failure(.endOfInput(let at)): throw SSTableError(path: path, offset: windowBase + Int64(at), "trie node at \(position) runs past the end of the trie")
        case .failure(.malformed(let at, let message)): throw SSTableError(path: path, offset: windowBase + Int64(at), message)
        }
    }

    /// Parses the `count` bytes at `position` (a node's payload) with `body`.
    func parse<T>(at position: Int64, count: Int, _ body: (inout ByteCursor) throws(CursorError) -> T) throws(SSTableError) -> T {
        guard position >= 0, count >= 0, position + Int64(count) <= end else {
            throw SSTableError(path: path, offset: position, "payload runs past the end of the trie (\(end) bytes)")
        }
        try load(position, count: count)
        let offset = Int(position - windowBase)
        let parsed: Result<T, CursorError> = window.withUnsafeBytes { raw in
            var c = ByteCursor(raw, from: offset, end: offset + count)
            do throws(CursorError) { return .success(try body(&c)) } catch { return .failure(error) }
        }
        switch parsed {
        case .success(let value): return value
        case .failure(.endOfInput(let at)): throw SSTableError(path: path, offset: windowBase + Int64(at), "payload at \(position) is shorter than its flags say")
        case .failure(.malformed(let at, let message)): throw SSTableError(path: path, offset: windowBase + Int64(at), message)
        }
    }

    /// Makes the window hold the trie from `position` on: `count` bytes, or up to the trie's end.
    private func load(_ position: Int64, count: Int) throws(SSTableError) {
        let windowEnd = windowBase + Int64(window.count)
        if position >= windowBase, position + Int64(count) <= windowEnd || (position < windowEnd && windowEnd == end) { return }
        let base = position & ~4095
        window = try file.bytes(at: base, count: Int(min(Int64(max(Self.windowSize, count + 4096)), end - base)))
        windowBase = base
    }

    /// The nodes that carry a payload, in key order, each with its key (the transition bytes
    /// from the root): a depth-first walk, a node before its children.
    struct Walk {
        private var stack: [(node: TrieNode, next: Int)]
        /// The key of the node `next` returned last.
        private(set) var key: [UInt8] = []

        init(root: TrieNode) { stack = [(root, -1)] }

        /// The next node with a payload; nil after the last.
        mutating func next(in trie: TrieFile) throws(SSTableError) -> TrieNode? {
            while let top = stack.last {
                let i = stack.count - 1
                if top.next < 0 {
                    stack[i].next = 0
                    if top.node.payloadFlags != 0 { return top.node }
                } else if top.next < top.node.children.count {
                    let child = top.node.children[top.next]
                    stack[i].next += 1
                    key.append(child.byte)
                    stack.append((try trie.node(at: child.position), -1))
                } else {
                    stack.removeLast()
                    if !stack.isEmpty { key.removeLast() }
                }
            }
            return nil
        }
    }
}
