import Crypto
#if canImport(Glibc)
import Glibc
import HexCoding
#endif

/// Writes one table's items as size-bounded gzip parts, hashing each as it is written.
///
/// A part is written under `<table>/.partial/` and renamed into `<table>/data/` once complete and
/// synced, so the data folder only ever holds whole parts.
final class PartWriter: @unchecked Sendable {
    let staging: String
    let dataFolder: String
    private let partialFolder: String
    private var number = 0
    private var fd: Int32 = -1
    private var compressor: GzipCompressor?
    private var hasher = SHA256()
    private var items = 0
    private var bytes = 0
    private var uncompressed = 0
    private(set) var parts: [StagedPart] = []

    /// `dataFolder` is relative to `staging`.
    init(staging: String, dataFolder: String) throws {
        self.staging = staging
        self.dataFolder = dataFolder
        self.partialFolder = dataFolder + "/../.partial"
        FileSystem.remove(staging + "/" + dataFolder)
        FileSystem.remove(staging + "/" + partialFolder)
        try FileSystem.makeFolder(staging + "/" + dataFolder)
        try FileSystem.makeFolder(staging + "/" + partialFolder)
    }

    var partOpen: Bool { fd >= 0 }

    private var partName: String { "part-" + String(repeating: "0", count: max(0, 5 - String(number).count)) + String(number) + ".json.gz" }

    private func openPart() throws {
        number += 1
        let path = staging + "/" + partialFolder + "/" + partName
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StagingError("\(path): cannot create: \(String(cString: strerror(errno)))") }
        compressor = try GzipCompressor()
        hasher = SHA256()
        items = 0
        bytes = 0
        uncompressed = 0
    }

    /// Appends complete lines (`count` items) to the current part, opening one if needed.
    func write(_ lines: UnsafeRawBufferPointer, count: Int) throws {
        if fd < 0 { try openPart() }
        items += count
        uncompressed += lines.count
        try compressor!.compress(lines) { try self.emit($0) }
    }

    private func emit(_ chunk: UnsafeRawBufferPointer) throws {
        hasher.update(bufferPointer: chunk)
        bytes += chunk.count
        try FileSystem.writeAll(fd, chunk, path: staging + "/" + partialFolder + "/" + partName)
    }

    /// Finishes the open part (if any): gzip trailer, fsync, rename into the data folder.
    func finishPart() throws {
        guard fd >= 0 else { return }
        try compressor!.compress(UnsafeRawBufferPointer(start: nil, count: 0), finish: true) { try self.emit($0) }
        compressor = nil
        let from = staging + "/" + partialFolder + "/" + partName
        guard fsync(fd) == 0 else { throw StagingError("\(from): fsync failed") }
        Glibc.close(fd)
        fd = -1
        let relative = dataFolder + "/" + partName
        guard rename(from, staging + "/" + relative) == 0 else {
            throw StagingError("\(from): rename failed: \(String(cString: strerror(errno)))")
        }
        let digest = Hex.encode(hasher.finalize())
        parts.append(StagedPart(file: relative, items: items, bytes: bytes, uncompressedBytes: uncompressed, sha256: digest))
    }

    /// Removes the `.partial` folder after the last part.
    func close() throws {
        try finishPart()
        FileSystem.syncFolder(of: staging + "/" + dataFolder + "/x")
        FileSystem.remove(staging + "/" + partialFolder)
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
    }
}
