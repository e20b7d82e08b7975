import CZlib

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
