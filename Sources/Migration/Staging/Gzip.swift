import CZlib

/// A streaming gzip compressor writing one gzip member (RFC 1952) through zlib's deflate.
final class GzipCompressor {
    private var stream = z_stream()
    private var output = [UInt8](repeating: 0, count: 256 * 1024)

    init(level: Int32 = 6) throws(StagingError) {
        // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
        let status = deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw StagingError("deflateInit2 failed (\(status))") }
    }

    deinit { deflateEnd(&stream) }

    /// Compresses `input`, handing compressed bytes to `sink` as they are produced.
    func compress(_ input: UnsafeRawBufferPointer, finish: Bool = false,
                           sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        let base = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.next_in = base
        stream.avail_in = uInt(input.count)
        let flush = finish ? Z_FINISH : Z_NO_FLUSH
        while true {
            let (status, produced): (Int32, Int) = try output.withUnsafeMutableBytes { out in
                stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(out.count)
                let status = deflate(&stream, flush)
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw StagingError("deflate failed (\(status))")
                }
                return (status, out.count - Int(stream.avail_out))
            }
            if produced > 0 { try output.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) } }
            if finish {
                if status == Z_STREAM_END { break }
            } else if stream.avail_in == 0 && produced < output.count {
                break
            }
        }
        stream.next_in = nil
    }
}

/// Decompresses gzip data (every member of a multi-member file) into memory, at most `limit` bytes.
enum Gunzip {
    static func decompress(_ input: [UInt8], limit: Int = 1 << 31) throws(StagingError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(min(limit, input.count * 4))
        var stream = z_stream()
        // windowBits 15 + 32: detect a gzip or zlib header.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw StagingError("inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        var failure: StagingError?
        input.withUnsafeBytes { raw in
            guard raw.count > 0 else { failure = StagingError("empty gzip file"); return }
            var offset = 0
            stream.next_in = UnsafeMutablePointer(mutating: raw.baseAddress!.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(raw.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBytes { buf -> (Int32, Int) in
                    stream.next_out = buf.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = uInt(buf.count)
                    let s = inflate(&stream, Z_NO_FLUSH)
                    return (s, buf.count - Int(stream.avail_out))
                }
                out.append(contentsOf: chunk[0..<produced])
                if out.count > limit { failure = StagingError("decompressed data exceeds \(limit) bytes"); return }
                if status == Z_STREAM_END {
                    offset = raw.count - Int(stream.avail_in)
                    if stream.avail_in == 0 { return }
                    // Another gzip member follows.
                    guard inflateReset(&stream) == Z_OK else { failure = StagingError("inflateReset failed"); return }
                    _ = offset
                    continue
                }
                if status == Z_BUF_ERROR && stream.avail_in == 0 {
                    failure = StagingError("gzip data is truncated")
                    return
                }
                guard status == Z_OK || status == Z_BUF_ERROR else {
                    failure = StagingError("gzip data is corrupt (zlib status \(status)) at compressed offset \(raw.count - Int(stream.avail_in))")
                    return
                }
            }
        }
        if let failure { throw failure }
        return out
    }
}
