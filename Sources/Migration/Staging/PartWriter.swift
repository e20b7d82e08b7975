import Crypto
#if canImport(Glibc)
import Glibc
import HexCoding
#endif

/// Writes one token range's items as size-bounded parts, each compressed whole (``PartCompressor``).
///
/// A part's lines are gathered in memory, compressed in one call when the part is finished, and
/// written under the table's partial folder, then renamed into its data folder once complete and
/// synced, so the data folder only ever holds whole parts.
final class PartWriter: @unchecked Sendable {
    let staging: String
    let dataFolder: String
    private let partialFolder: String
    /// The start of the part files' names (`part-`, or `part-3-` for the third range).
    private let name: String
    private let compressor: PartCompressor
    private var number = 0
    private var lines: [UInt8] = []
    private var items = 0
    private(set) var parts: [StagedPart] = []
    /// Where finished parts go on to (``PartFlow``), and the stop that ends a wait for room.
    private let flow: PartFlow?
    private let stop: StopSignal

    /// Folders are relative to `staging`; the data folder must exist. `partBytes`: about the most
    /// a part holds, room kept for it from the start (a part growing by doubling would copy
    /// itself, and hold both copies for a moment).
    init(staging: String, dataFolder: String, partialFolder: String, name: String = "part-", compression: PartCompression = .gzip,
         level: Int? = nil, partBytes: Int = 0, flow: PartFlow? = nil, stop: StopSignal = StopSignal()) throws {
        self.staging = staging
        self.dataFolder = dataFolder
        self.partialFolder = partialFolder + "/" + name.dropLast()
        self.name = name
        self.flow = flow
        self.stop = stop
        compressor = try PartCompressor(compression, level: level)
        lines.reserveCapacity(partBytes)
        try FileSystem.makeFolder(staging + "/" + self.partialFolder)
    }

    private var partName: String {
        name + String(repeating: "0", count: max(0, 5 - String(number).count)) + String(number) + compressor.compression.fileExtension
    }

    /// Appends complete lines (`count` items) to the current part.
    func write(_ lines: UnsafeRawBufferPointer, count: Int) {
        self.lines.append(contentsOf: lines)
        items += count
    }

    /// Finishes the current part (if it holds anything): compressed, written, synced, renamed
    /// into the data folder.
    func finishPart() throws {
        guard items > 0 else { return }
        number += 1
        let from = staging + "/" + partialFolder + "/" + partName
        let fd = open(from, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StagingError("\(from): cannot create: \(FileSystem.writeFailure(errno))") }
        defer { Glibc.close(fd) }
        let budget = flow?.budget
        var reserved = 0
        do {
            let (bytes, digest) = try lines.withUnsafeBytes { raw in
                try compressor.compress(raw) { compressed in
                    // With --max-local-gb: wait until the uploader has made room for this part.
                    try budget?.reserve(compressed.count, stop: stop)
                    reserved = compressed.count
                    try FileSystem.writeAll(fd, compressed, path: from)
                    return (compressed.count, Hex.encode(SHA256.hash(data: compressed)))
                }
            }
            guard fsync(fd) == 0 else { throw StagingError("\(from): cannot write: \(FileSystem.writeFailure(errno))") }
            let relative = dataFolder + "/" + partName
            guard rename(from, staging + "/" + relative) == 0 else {
                throw StagingError("\(from): rename failed: \(String(cString: strerror(errno)))")
            }
            let part = StagedPart(file: relative, items: items, bytes: bytes, uncompressedBytes: lines.count, sha256: digest)
            parts.append(part)
            flow?.closed(ClosedPart(part: part, compression: compressor.compression))
        } catch {
            budget?.release(reserved)
            throw error
        }
        lines.removeAll(keepingCapacity: true)
        items = 0
    }

    /// Finishes the last part and removes this writer's partial folder.
    func close() throws {
        try finishPart()
        FileSystem.remove(staging + "/" + partialFolder)
    }
}
