import Foundation

/// The one check that a file the client names lies inside folders the operator configured:
/// the path is resolved (symlinks and `..` too) before it is compared.
enum ConfinedPath {
    /// `path` resolved; a 400 when it is relative or missing, a 403 when it is outside `folders`.
    /// Whether a missing path exists is told only inside `folders`: a path outside them is a 403
    /// before the file system is asked, so the API reveals nothing about the rest of the host.
    static func check(_ path: String, field: String, folders: [String], settingName: String) throws(APIError) -> String {
        guard path.hasPrefix("/") else { throw .badRequest("\(field) must be an absolute path") }
        let outside = APIError(403, "\(field) \(path) is outside the agent's \(settingName) (\(folders.isEmpty ? "none are configured" : folders.joined(separator: ", ")))")
        let allowed = folders.map(normalized) + folders.compactMap(realPath)
        guard isInside(normalized(path), allowed) else { throw outside }
        guard let real = realPath(path) else { throw .badRequest("\(field) \(path) does not exist") }
        // Symlinks inside the folders may point out of them.
        guard isInside(real, folders.compactMap(realPath)) else { throw outside }
        return real
    }

    private static func isInside(_ path: String, _ folders: [String]) -> Bool {
        folders.contains { path == $0 || path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
    }

    /// An absolute path with `.` and `..` resolved by name, without asking the file system.
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }

    static func realPath(_ p: String) -> String? {
        guard let r = realpath(p, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }
}
