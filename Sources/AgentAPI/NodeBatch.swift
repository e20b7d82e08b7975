/// The body of `POST /v1/nodes`: one node or an array of them (the spec's `NodeBatch`).
///
/// Decoded by hand rather than as a generated `oneOf`, which would try each case and report only
/// that none fit: here a refused field keeps its path (`[1].host`) in the error.
public struct NodeBatch: Codable, Hashable, Sendable {
    public var nodes: [Components.Schemas.Node]
    /// Whether the JSON was an array (and is encoded as one).
    public var isArray: Bool

    public init(nodes: [Components.Schemas.Node], isArray: Bool = true) {
        self.nodes = nodes
        self.isArray = isArray
    }

    public init(from decoder: any Decoder) throws {
        if var list = try? decoder.unkeyedContainer() {
            var nodes: [Components.Schemas.Node] = []
            while !list.isAtEnd { nodes.append(try list.decode(Components.Schemas.Node.self)) }
            self.init(nodes: nodes, isArray: true)
        } else {
            self.init(nodes: [try Components.Schemas.Node(from: decoder)], isArray: false)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        if isArray || nodes.count != 1 {
            var list = encoder.unkeyedContainer()
            for node in nodes { try list.encode(node) }
        } else {
            try nodes[0].encode(to: encoder)
        }
    }
}
