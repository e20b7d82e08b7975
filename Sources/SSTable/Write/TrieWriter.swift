/// Writes an on-disk BTI trie from keys added in increasing byte order, as Cassandra's
/// `IncrementalTrieWriterSimple` does: the nodes on the path of the last key are kept; a node is
/// written once no later key can reach it, children before their parent, the root last. Each
/// node is written in the smallest `TrieNode` type that holds it (`TrieNode.typeFor`). Nodes are
/// not packed into 4 KiB pages as Cassandra's page-aware writer packs them; readers do not need
/// that.
final class TrieWriter {
    private final class Node {
        let transition: UInt8
        var children: [Node] = []
        var payload: (flags: Int, bytes: [UInt8])?
        var position: Int64 = -1

        init(_ transition: UInt8) { self.transition = transition }
    }

    let file: OutputFile
    private var stack = [Node(0)]
    private var previous: [UInt8]?
    /// Keys added so far.
    private(set) var count: Int64 = 0

    init(file: OutputFile) { self.file = file }

    /// Adds `key` (greater than the previous key) with a payload: 4 flag bits and its bytes.
    func add(_ key: [UInt8], payloadFlags: Int, payload: [UInt8]) throws(SSTableError) {
        var depth = 0
        if let previous {
            while depth < key.count, depth < previous.count, key[depth] == previous[depth] { depth += 1 }
            guard depth < key.count, depth == previous.count || previous[depth] < key[depth] else {
                throw SSTableError(path: file.path, offset: file.position, "trie keys must be added in increasing order, each once")
            }
        }
        previous = key
        count += 1
        while stack.count > depth + 1 { try completeLast() }
        var node = stack[stack.count - 1]
        for b in key[depth...] {
            let child = Node(b)
            node.children.append(child)
            stack.append(child)
            node = child
        }
        node.payload = (payloadFlags, payload)
    }

    /// Writes the remaining nodes; returns the root's position.
    func complete() throws(SSTableError) -> Int64 {
        var root: Node?
        while !stack.isEmpty { root = try completeLast() }
        return root!.position
    }

    @discardableResult
    private func completeLast() throws(SSTableError) -> Node {
        let node = stack.removeLast()
        node.position = file.position
        var out: [UInt8] = []
        Self.serialize(
            children: node.children.map { ($0.transition, $0.position) }, payloadFlags: node.payload?.flags ?? 0, at: node.position, into: &out)
        out += node.payload?.bytes ?? []
        try file.write(out)
        node.children = []
        return node
    }

    // Node types by pointer size class (`TrieNode.Types`): a class holds distances up to `maxDistance`.
    private static let maxDistance: [Int64] = [0xF, 0xFF, 0xFFF, 0xFFFF, 0xFF_FFFF, 0xFFFF_FFFF, 0xFF_FFFF_FFFF, .max]
    private static let singles = [1, 2, 3, 4, 12, 13, 14, 15]
    private static let sparses = [5, 5, 6, 7, 8, 9, 9, 15]
    private static let denses = [10, 10, 10, 11, 12, 13, 14, 15]

    /// The node type `TrieNode.typeFor` picks for these children (distances back from the node).
    static func nodeType(transitions: [UInt8], distances: [Int64], hasPayload: Bool) -> Int {
        guard let farthest = distances.max() else { return 0 }
        var size = maxDistance.firstIndex { farthest <= $0 }!
        if transitions.count == 1 {
            // The 4- and 12-bit single types have no room for payload flags.
            if hasPayload, size == 0 || size == 2 { size += 1 }
            return singles[size]
        }
        let sparse = sparses[size], dense = denses[size]
        return nodeSize(sparse, transitions) < nodeSize(dense, transitions) ? sparse : dense
    }

    /// Bytes of a node of `type` with these transitions, payload excluded.
    static func nodeSize(_ type: Int, _ transitions: [UInt8]) -> Int {
        let width = TrieNode.pointerBytes[type]
        switch type {
        case 0: return 1
        case 1: return 2
        case 3: return 3
        case 2, 4: return 2 + width
        case 6: return 2 + (5 * transitions.count + 1) / 2
        case 5...9: return 2 + transitions.count * (1 + width)
        default:
            let span = Int(transitions.last!) - Int(transitions.first!) + 1
            return type == 10 ? 3 + (3 * span + 1) / 2 : 3 + span * width
        }
    }

    /// Appends the node at `position` with these children (transition byte, child position), payload excluded.
    static func serialize(children: [(UInt8, Int64)], payloadFlags flags: Int, at position: Int64, into out: inout [UInt8]) {
        let transitions = children.map(\.0), distances = children.map { position - $0.1 }
        let type = nodeType(transitions: transitions, distances: distances, hasPayload: flags != 0)
        serialize(type: type, transitions: transitions, distances: distances, payloadFlags: flags, into: &out)
    }

    /// Appends a node of `type` (which must hold the transitions, distances and flags) as `TrieNode.serialize` writes it.
    static func serialize(type: Int, transitions: [UInt8], distances: [Int64], payloadFlags flags: Int, into out: inout [UInt8]) {
        let header = UInt8(type << 4)
        func put(_ v: Int64, _ width: Int) {
            for i in stride(from: width - 1, through: 0, by: -1) { out.append(UInt8(truncatingIfNeeded: v >> (8 * i))) }
        }
        switch type {
        case 0:
            out.append(header | UInt8(flags))
        case 1:
            out += [header | UInt8(distances[0]), transitions[0]]
        case 3:
            out += [header | UInt8(distances[0] >> 8), UInt8(truncatingIfNeeded: distances[0]), transitions[0]]
        case 2, 4:
            out += [header | UInt8(flags), transitions[0]]
            put(distances[0], TrieNode.pointerBytes[type])
        case 5...9:
            out += [header | UInt8(flags), UInt8(transitions.count)] + transitions
            if type == 6 {
                var i = 0
                while i + 2 <= distances.count {
                    let p0 = distances[i], p1 = distances[i + 1]
                    out += [UInt8(p0 >> 4), UInt8(truncatingIfNeeded: p0 << 4 | p1 >> 8), UInt8(truncatingIfNeeded: p1)]
                    i += 2
                }
                if i < distances.count { put(distances[i] << 4, 2) }
            } else {
                for d in distances { put(d, TrieNode.pointerBytes[type]) }
            }
        default:
            let first = Int(transitions[0]), last = Int(transitions[transitions.count - 1])
            out += [header | UInt8(flags), UInt8(first), UInt8(last - first)]
            var span = [Int64](repeating: 0, count: last - first + 1)
            for (t, d) in zip(transitions, distances) { span[Int(t) - first] = d }
            if type == 10 {
                var carry: Int64 = 0
                for (i, d) in span.enumerated() {
                    if i & 1 == 0 {
                        out.append(UInt8(d >> 4))
                        carry = (d << 4) & 0xF0
                    } else {
                        out += [UInt8(carry | d >> 8), UInt8(truncatingIfNeeded: d)]
                    }
                }
                if span.count & 1 == 1 { out.append(UInt8(carry)) }
            } else {
                for d in span { put(d, TrieNode.pointerBytes[type]) }
            }
        }
    }
}
