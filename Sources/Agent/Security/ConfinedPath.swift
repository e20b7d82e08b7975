import Foundation

/// The one check that a file the client names lies inside folders the operator configured:
/// the path is resolved (symlinks and `..` too) before it is compared.
enum ConfinedPath {
    /// `path` resolved; a 400 when it is relative or missing, a 403 when it is outside `folders`.
    static func check(_ path: String, field: String, folders: [String], settingName: String) throws(APIError) -> String {
        guard path.hasPrefix("/") else { throw .badRequest("\(field) must be an absolute path") }
        guard let real = realPath(path) else { throw .badRequest("\(field) \(path) does not exist") }
        let allowed = folders.compactMap(realPath)
        guard allowed.contains(where: { real == $0 || real.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }) else {
            let list = folders.isEmpty ? "none are configured" : folders.joined(separator: ", ")
            throw APIError(403, "\(field) \(path) is outside the agent's \(settingName) (\(list))")
        }
        return real
    }

    static func realPath(_ p: String) -> String? {
        guard let r = realpath(p, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }
}
