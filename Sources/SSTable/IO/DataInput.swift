#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A sliding window over the uncompressed bytes of a Data.db file.
///
/// Chunks (compressed) or blocks (uncompressed) are appended to the window as the parser needs
/// them, each verified against its checksum; consumed bytes are dropped on the next refill, so
/// memory is bounded by the largest single row plus one chunk, whatever the file size.
final class DataInput {
    let path: String
    /// Total uncompressed length.
    let length: Int64
    /// The window, in memory this input owns (read once or more a row: raw memory needs no
    /// reference counting or uniqueness checks): bytes `start..<count` are the unread ones.
    private var window: UnsafeMutableRawPointer
    private var capacity: Int
    /// Bytes loaded into the window.
    @exclusivity(unchecked) private(set) var count = 0
    /// The next unread byte of the window.
    @exclusivity(unchecked) var start = 0
    /// Absolute uncompressed offset of the window's first byte.
    private(set) var windowBase: Int64 = 0

    private let file: any RandomAccessSource
    private let compression: CompressionInfo?
    private let useCRC32: Bool
    /// Uncompressed files: block size and per-block checksums from CRC.db, when present.
    private let blockSize: Int
    private let blockChecksums: [UInt32]?
    private var nextBlock = 0
    private var scratch: [UInt8] = []
    /// Uncompressed files: the whole-file digest (Digest.crc32 / .adler32 / .sha1 holding Adler32)
    /// checked once the last block is read, so a file cut at a partition boundary is caught.
    /// Checked only while the window has grown from offset 0 (never after a seek elsewhere).
    private let expectedDigest: UInt32?
    private var runningDigest: UInt32
    private let initialDigest: UInt32
    private var readsFromStart = true
    /// Bytes read from Data.db so far (compressed chunks with their checksums, or raw blocks).
    private(set) var fileBytesRead: Int64 = 0

    init(
        descriptor: SSTableDescriptor, compression: CompressionInfo?, blockChecksumsPath: String?, digestPath: String? = nil
    ) throws(SSTableError) {
        path = descriptor.dataPath
        if compression == nil, let digestPath {
            let text = String(decoding: try SSTableStorage.open(digestPath).readAll(limit: 4096), as: UTF8.self)
            guard let value = UInt32(text.trimmingWhitespace()) else {
                throw SSTableError(path: digestPath, offset: 0, "not a decimal checksum")
            }
            expectedDigest = value
        } else {
            expectedDigest = nil
        }
        initialDigest = descriptor.version.usesCRC32Checksums ? 0 : 1
        runningDigest = initialDigest
        capacity = 0
        window = .allocate(byteCount: 0, alignment: 16)
        file = try SSTableStorage.open(path)
        self.compression = compression
        useCRC32 = descriptor.version.usesCRC32Checksums
        if let compression {
            length = compression.dataLength
            if let last = compression.chunkOffsets.last, last >= file.size {
                throw SSTableError(path: path, offset: file.size, "file is truncated: chunk \(compression.chunkOffsets.count - 1) starts at \(last)")
            }
            blockSize = compression.chunkLength
            blockChecksums = nil
        } else {
            length = file.size
            if let crcPath = blockChecksumsPath {
                let (size, sums) = try DataInput.readBlockChecksums(crcPath)
                blockSize = size
                blockChecksums = sums
                let expected = (file.size + Int64(size) - 1) / Int64(size)
                if Int64(sums.count) != expected {
                    throw SSTableError(path: crcPath, "holds \(sums.count) checksums but Data.db needs \(expected): the files do not belong together or one is truncated")
                }
            } else {
                blockSize = 64 * 1024
                blockChecksums = nil
            }
        }
    }

    deinit { window.deallocate() }

    /// Absolute uncompressed offset of a position in the window.
    @inline(__always)
    func offset(of index: Int) -> Int64 { windowBase + Int64(index) }

    /// True when every byte has been consumed.
    var isAtEnd: Bool { start >= count && windowBase + Int64(count) >= length }

    /// Moves to uncompressed offset `offset` (`0 ≤ offset < length`): the window restarts with
    /// the chunk or block holding it, checked as every chunk is. Away from offset 0 the
    /// whole-file digest can no longer be checked.
    func seek(to offset: Int64) throws(SSTableError) {
        guard offset >= 0, offset < length else {
            throw SSTableError(path: path, offset: offset, "cannot seek past the end of the data (\(length) bytes)")
        }
        nextBlock = Int(offset / Int64(blockSize))
        windowBase = Int64(nextBlock) * Int64(blockSize)
        count = 0
        start = 0
        readsFromStart = offset == 0
        runningDigest = initialDigest
        guard try refill() else { return }
        start = Int(offset - windowBase)
    }

    /// Appends the next chunk to the window, first dropping consumed bytes. Returns false at end of data.
    func refill() throws(SSTableError) -> Bool {
        let loaded = windowBase + Int64(count)
        guard loaded < length else { return false }
        if start > 0 {
            if count > start { memmove(window, window + start, count - start) }
            count -= start
            windowBase += Int64(start)
            start = 0
        }
        if let compression {
            try appendChunk(compression)
        } else {
            try appendBlock()
        }
        nextBlock += 1
        return true
    }

    private func appendBlock() throws(SSTableError) {
        let offset = Int64(nextBlock) * Int64(blockSize)
        let count = Int(min(Int64(blockSize), length - offset))
        let dst = reserve(count)
        try file.read(into: dst, at: offset)
        let bytes = UnsafeRawBufferPointer(dst)
        // One pass over the bytes: the block's own checksum, combined into the whole file's
        // when CRC.db gives one per block.
        let blockSum = blockChecksums == nil ? nil : useCRC32 ? Checksum.crc32(bytes) : Checksum.adler32(bytes)
        fileBytesRead += Int64(count)
        if expectedDigest != nil, readsFromStart {
            if let blockSum {
                runningDigest = Checksum.combine(runningDigest, blockSum, length: count, crc32: useCRC32)
            } else {
                runningDigest = useCRC32
                    ? Checksum.crc32(continuing: runningDigest, bytes) : Checksum.adler32(continuing: runningDigest, bytes)
            }
            if offset + Int64(count) == length, runningDigest != expectedDigest {
                throw SSTableError(path: path, offset: length, "whole-file checksum does not match the Digest component: the file is truncated or damaged")
            }
        }
        if let sums = blockChecksums, blockSum != sums[nextBlock] {
            throw SSTableError(path: path, offset: offset, "checksum mismatch in block \(nextBlock) (CRC.db)")
        }
        self.count += count
    }

    /// Room for `n` more bytes after the loaded ones (the window grows, keeping its bytes).
    private func reserve(_ n: Int) -> UnsafeMutableRawBufferPointer {
        if count + n > capacity {
            let grown = max(count + n, capacity * 2)
            let new = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 16)
            new.copyMemory(from: window, byteCount: count)
            window.deallocate()
            window = new
            capacity = grown
        }
        return UnsafeMutableRawBufferPointer(start: window + count, count: n)
    }

    private func appendChunk(_ info: CompressionInfo) throws(SSTableError) {
        let index = nextBlock
        let fileOffset = info.chunkOffsets[index]
        let fileEnd = index + 1 < info.chunkOffsets.count ? info.chunkOffsets[index + 1] : file.size
        let span = fileEnd.subtractingReportingOverflow(fileOffset)
        let stored = span.overflow || span.partialValue > Int64(Int32.max) ? -1 : Int(span.partialValue) - 4
        guard stored >= 0, fileEnd <= file.size, stored <= info.chunkLength * 2 + 1024 else {
            throw SSTableError(path: path, offset: fileOffset, "chunk \(index) has an impossible length \(fileEnd - fileOffset) (file offset)")
        }
        let uncompressedStart = Int64(index) * Int64(info.chunkLength)
        let expected = Int(min(Int64(info.chunkLength), length - uncompressedStart))
        fileBytesRead += Int64(stored + 4)
        if scratch.count < stored + 4 { scratch = [UInt8](repeating: 0, count: stored + 4) }
        let dst = reserve(expected)
        var failure: SSTableError?
        scratch.withUnsafeMutableBytes { scratchRaw in
            let chunk = UnsafeMutableRawBufferPointer(rebasing: scratchRaw[0..<(stored + 4)])
            do throws(SSTableError) { try file.read(into: chunk, at: fileOffset) } catch {
                failure = error
                return
            }
            let body = UnsafeRawBufferPointer(rebasing: chunk[0..<stored])
            let storedSum = UInt32(bigEndian: UnsafeRawBufferPointer(chunk).loadUnaligned(fromByteOffset: stored, as: UInt32.self))
            let actual = useCRC32 ? Checksum.crc32(body) : Checksum.adler32(body)
            guard actual == storedSum else {
                failure = SSTableError(path: path, offset: fileOffset, "checksum mismatch in compressed chunk \(index) (file offset)")
                return
            }
            if stored >= info.maxCompressedLength {
                // Stored raw (na+); a short last chunk may be padded.
                guard stored >= expected else {
                    failure = SSTableError(path: path, offset: fileOffset, "uncompressed chunk \(index) is short (file offset)")
                    return
                }
                dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: body[0..<expected]))
            } else if info.compressor.decompress(body, into: dst) != expected {
                failure = SSTableError(path: path, offset: fileOffset, "chunk \(index) does not decompress to \(expected) bytes with \(info.compressor.rawValue) (file offset)")
            }
        }
        if let failure { throw failure }
        count += expected
    }

    /// CRC.db: int32 block size, then one int32 checksum per block.
    private static func readBlockChecksums(_ path: String) throws(SSTableError) -> (Int, [UInt32]) {
        let bytes = try SSTableStorage.open(path).readAll()
        guard bytes.count >= 4, bytes.count % 4 == 0 else { throw SSTableError(path: path, offset: Int64(bytes.count), "truncated") }
        var words: [UInt32] = []
        words.reserveCapacity(bytes.count / 4)
        var i = 0
        while i < bytes.count {
            words.append(UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3]))
            i += 4
        }
        let size = Int(Int32(bitPattern: words[0]))
        guard size > 0 else { throw SSTableError(path: path, offset: 0, "bad block size \(size)") }
        return (size, Array(words.dropFirst()))
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}

extension DataInput {
    /// The largest row (or partition header) read into memory at once; Cassandra caps a single
    /// value at 256 MiB by default (`max_value_size`), so a larger row means a corrupt length.
    static let maxUnfilteredSize = 512 << 20

    enum Outcome {
        case done(Int)
        case needMore
        case failed(Int, String)
    }

    /// Runs `body` on the window from the current position, refilling and retrying while the
    /// window ends too early; the position moves to where `body` left the cursor. `what` names
    /// the structure in errors. Inlined, so that a row's parse borrows its scanner without retaining it.
    @inline(__always)
    func parse(_ what: String, _ body: (inout ByteCursor) throws(CursorError) -> Void) throws(SSTableError) {
        while true {
            let outcome: Outcome
            var c = ByteCursor(UnsafeRawBufferPointer(start: window, count: count), from: start)
            do throws(CursorError) {
                try body(&c)
                outcome = .done(c.position)
            } catch {
                switch error {
                case .endOfInput: outcome = .needMore
                case .malformed(let at, let message): outcome = .failed(at, message)
                }
            }
            switch outcome {
            case .done(let end):
                start = end
                return
            case .needMore:
                guard count - start < Self.maxUnfilteredSize else {
                    throw SSTableError(
                        path: path, offset: offset(of: start),
                        "\(what) is larger than \(Self.maxUnfilteredSize >> 20) MiB: a length field is corrupt")
                }
                guard try refill() else {
                    throw SSTableError(path: path, offset: offset(of: start), "file is truncated inside \(what)")
                }
            case .failed(let at, let message):
                throw SSTableError(path: path, offset: offset(of: at), message)
            }
        }
    }
}
