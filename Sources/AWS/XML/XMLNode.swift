/// A minimal XML element tree, enough for S3 and IAM responses (no namespaces resolution, no DTDs).
package struct XMLNode: Sendable, Equatable {
    /// The element name as written, prefix included.
    package var name: String
    /// Attributes in document order.
    package var attributes: [(String, String)]
    /// Child elements in document order.
    package var children: [XMLNode]
    /// The concatenated text directly inside this element, entities decoded.
    package var text: String

    package static func == (lhs: XMLNode, rhs: XMLNode) -> Bool {
        lhs.name == rhs.name && lhs.text == rhs.text && lhs.children == rhs.children
            && lhs.attributes.count == rhs.attributes.count
            && zip(lhs.attributes, rhs.attributes).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    /// The element's local name (without a namespace prefix).
    package var localName: String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    /// The first child with local name `name`.
    package func child(_ name: String) -> XMLNode? {
        children.first { $0.localName == name }
    }

    /// All children with local name `name`.
    package func children(_ name: String) -> [XMLNode] {
        children.filter { $0.localName == name }
    }

    /// The text of the first child named `name`.
    package func text(of name: String) -> String? {
        child(name)?.text
    }

    /// The first element named `name` anywhere below (depth-first), or self.
    package func find(_ name: String) -> XMLNode? {
        if localName == name { return self }
        for child in children {
            if let found = child.find(name) { return found }
        }
        return nil
    }
}
