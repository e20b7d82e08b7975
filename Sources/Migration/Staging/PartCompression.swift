import AWS
import CDeflate
import CZstd

/// How staged parts are compressed: one of the three ImportTable reads (`InputCompressionType`).
/// Recorded per table in the manifest, so upload, load, validate and resume read it from there.
public enum PartCompression: String, Codable, Sendable, CaseIterable {
    /// One gzip member per part (RFC 1952), written by libdeflate.
    case gzip
    /// One zstd frame per part.
    case zstd
    /// Plain JSON lines.
    case none

    /// The part files' extension.
    public var fileExtension: String {
        switch self {
        case .gzip: ".json.gz"
        case .zstd: ".json.zst"
        case .none: ".json"
        }
    }

    /// What ImportTable is told.
    public var importType: ImportTableInput.Compression {
        switch self {
        case .gzip: .gzip
        case .zstd: .zstd
        case .none: .none
        }
    }

    /// Levels the codec takes (libdeflate 1–12, zstd 1–19); none takes none.
    public var levels: ClosedRange<Int>? {
        switch self {
        case .gzip: 1...12
        case .zstd: 1...19
        case .none: nil
        }
    }

    /// The level used when none is given: each codec's fastest. At gzip 1 the codec takes under a
    /// tenth of extraction's CPU (500–560 MB/s per core), at 6 about three times as much for parts
    /// 12–33 % smaller (`bench/compression`, BENCHMARKS.md).
    public var defaultLevel: Int {
        switch self {
        case .gzip: 1
        case .zstd: 1
        case .none: 0
        }
    }

    /// Decompresses a whole part, at most `limit` bytes of JSON lines.
    public func decompress(_ bytes: [UInt8], limit: Int = 1 << 31) throws(StagingError) -> [UInt8] {
        switch self {
        case .gzip: return try Gunzip.decompress(bytes, limit: limit)
        case .zstd: return try Unzstd.decompress(bytes, limit: limit)
        case .none:
            guard bytes.count <= limit else { throw StagingError("part exceeds \(limit) bytes") }
            return bytes
        }
    }
}

/// Compresses whole parts with one codec and level, reusing its state and output buffer from
/// part to part. libdeflate has no streaming interface: a part is compressed in one call, which
/// is what bounds the part size (the part and its compressed copy are in memory together).
final class PartCompressor {
    let compression: PartCompression
    private var deflater: OpaquePointer?
    private var zstdContext: OpaquePointer?
    private let level: Int32
    private var output: [UInt8] = []

    init(_ compression: PartCompression, level: Int? = nil) throws(StagingError) {
        self.compression = compression
        let level = level ?? compression.defaultLevel
        if let levels = compression.levels, !levels.contains(level) {
            throw StagingError("compression level \(level) is not one \(compression.rawValue) takes (\(levels.lowerBound)–\(levels.upperBound))")
        }
        self.level = Int32(level)
        switch compression {
        case .gzip:
            guard let state = libdeflate_alloc_compressor(self.level) else { throw StagingError("libdeflate could not allocate a compressor (out of memory)") }
            deflater = state
        case .zstd:
            guard let state = ZSTD_createCCtx() else { throw StagingError("zstd could not allocate a compressor (out of memory)") }
            zstdContext = state
        case .none:
            break
        }
    }

    deinit {
        if let deflater { libdeflate_free_compressor(deflater) }
        if let zstdContext { ZSTD_freeCCtx(zstdContext) }
    }

    /// Compresses `input` whole and hands the result to `body` (valid only during the call).
    func compress<R>(_ input: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        if compression == .none { return try body(input) }
        let bound = compression == .gzip ? libdeflate_gzip_compress_bound(deflater, input.count) : ZSTD_compressBound(input.count)
        // Not zero-filled: only the pages the compressed bytes take are touched (resident).
        if output.count < bound { output = [UInt8](unsafeUninitializedCapacity: bound) { _, count in count = bound } }
        let produced: Int = try output.withUnsafeMutableBytes { out in
            if compression == .gzip {
                let n = libdeflate_gzip_compress(deflater, input.baseAddress, input.count, out.baseAddress, out.count)
                guard n > 0 else { throw StagingError("libdeflate could not compress a part of \(input.count) bytes") }
                return n
            }
            let n = ZSTD_compressCCtx(zstdContext, out.baseAddress, out.count, input.baseAddress, input.count, level)
            guard ZSTD_isError(n) == 0 else { throw StagingError("zstd could not compress a part: \(String(cString: ZSTD_getErrorName(n)))") }
            return n
        }
        return try output.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) }
    }
}

/// Decompresses zstd data (every frame of the file) into memory, at most `limit` bytes.
enum Unzstd {
    static func decompress(_ input: [UInt8], limit: Int) throws(StagingError) -> [UInt8] {
        guard !input.isEmpty else { throw StagingError("empty zstd file") }
        guard let stream = ZSTD_createDStream() else { throw StagingError("zstd could not allocate a decompressor (out of memory)") }
        defer { ZSTD_freeDStream(stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: ZSTD_DStreamOutSize())
        var failure: StagingError?
        var last = 0
        input.withUnsafeBytes { raw in
            var source = ZSTD_inBuffer(src: raw.baseAddress, size: raw.count, pos: 0)
            while source.pos < source.size {
                let (status, produced) = chunk.withUnsafeMutableBytes { buffer -> (Int, Int) in
                    var target = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
                    let status = ZSTD_decompressStream(stream, &target, &source)
                    return (status, target.pos)
                }
                if ZSTD_isError(status) != 0 {
                    failure = StagingError("zstd data is corrupt (\(String(cString: ZSTD_getErrorName(status)))) at compressed offset \(source.pos)")
                    return
                }
                out.append(contentsOf: chunk[0..<produced])
                if out.count > limit { failure = StagingError("decompressed data exceeds \(limit) bytes"); return }
                last = status
            }
            // Input used up: the last frame must be complete, its output all flushed.
            while last != 0 {
                let (status, produced) = chunk.withUnsafeMutableBytes { buffer -> (Int, Int) in
                    var target = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
                    let status = ZSTD_decompressStream(stream, &target, &source)
                    return (status, target.pos)
                }
                if ZSTD_isError(status) != 0 || produced == 0 {
                    failure = StagingError("zstd data is truncated")
                    return
                }
                out.append(contentsOf: chunk[0..<produced])
                if out.count > limit { failure = StagingError("decompressed data exceeds \(limit) bytes"); return }
                last = status
            }
        }
        if let failure { throw failure }
        return out
    }
}
