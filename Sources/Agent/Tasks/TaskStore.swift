import Foundation
import Migration

/// Task records as one JSON file per task (`tasks/<id>.json`, replaced atomically) plus an
/// append-only log per task (`tasks/<id>.log`).
///
/// Why files and not SQLite: a task is one small document rewritten at checkpoints; rename-over
/// is atomic and fsync'd, so `kill -9` leaves the previous or the next record, never a torn
/// one; an operator can read and back up the state with `cat`/`jq`; and it adds no dependency.
/// There are tens of tasks, not millions, so there is nothing to query.
public final class TaskStore: Sendable {
    public let directory: String

    public init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func path(_ id: String) -> String { "\(directory)/\(id).json" }
    public func logPath(_ id: String) -> String { "\(directory)/\(id).log" }

    public func save(_ record: TaskRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(Array(try encoder.encode(record)), to: path(record.id), mode: 0o600)
    }

    /// Every stored task; unreadable files are skipped and reported in `problems`.
    public func loadAll() -> (tasks: [TaskRecord], problems: [String]) {
        var out: [TaskRecord] = []
        var problems: [String] = []
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasSuffix(".json") {
            let p = "\(directory)/\(name)"
            guard let data = FileManager.default.contents(atPath: p) else { continue }
            do { out.append(try JSONDecoder().decode(TaskRecord.self, from: data)) } catch { problems.append("\(p): \(error)") }
        }
        return (out.sorted { $0.createdAt < $1.createdAt }, problems)
    }

    /// Removes a task's record and log, and remembers its id (`deleted.txt`, one id a line) so a
    /// restarted agent still answers 410 Gone for it rather than 404.
    public func remove(_ id: String) {
        let fd = open(deletedPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        if fd >= 0 {
            _ = "\(id)\n".withCString { Foundation.write(fd, $0, strlen($0)) }
            fsync(fd)
            close(fd)
        }
        unlink(path(id))
        unlink(logPath(id))
    }

    var deletedPath: String { "\(directory)/deleted.txt" }

    /// The ids of every task deleted from this store.
    public func deletedIDs() -> Set<String> {
        guard let data = FileManager.default.contents(atPath: deletedPath) else { return [] }
        return Set(String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init))
    }

    /// Appends one line to the task's log.
    public func appendLog(_ id: String, _ line: String) {
        let fd = open(logPath(id), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let stamp = ISO8601DateFormatter().string(from: Date())
        let text = "\(stamp) \(line.replacingOccurrences(of: "\n", with: " "))\n"
        _ = text.withCString { Foundation.write(fd, $0, strlen($0)) }
    }

    /// The log from byte `offset` on (at most `limit` bytes).
    public func readLog(_ id: String, offset: Int = 0, limit: Int = 1 << 20) -> String {
        guard let handle = FileHandle(forReadingAtPath: logPath(id)) else { return "" }
        defer { try? handle.close() }
        try? handle.seek(toOffset: UInt64(max(0, offset)))
        let data = (try? handle.read(upToCount: limit)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
