import AWS
import NIOCore
import SSTable

/// An S3 object read by position, for the SSTable reader: ranged GETs, a first small one at each
/// new place, then, while reads follow each other, blocks that double up to
/// ``S3ReadOptions/maxBlock`` with up to ``S3ReadOptions/readAhead`` of them in flight ahead (no
/// further ahead than the run has read). Retries are the transport's. Memory: at most ``S3ReadOptions/memoryLimit`` bytes of blocks (plus a
/// read larger than that). Used from one thread at a time.
final class S3ObjectSource: RandomAccessSource {
    let path: String
    let size: Int64
    private let bucket: String
    private let key: String
    private let client: S3Client
    private let options: S3ReadOptions
    private let counter: S3ReadCounter

    /// A byte range being fetched or fetched.
    private final class Block {
        let start: Int64
        let count: Int
        let fetch: BlockingResult<ByteBuffer>
        var lastUse: Int

        init(start: Int64, count: Int, fetch: BlockingResult<ByteBuffer>, lastUse: Int) {
            (self.start, self.count, self.fetch, self.lastUse) = (start, count, fetch, lastUse)
        }

        var end: Int64 { start + Int64(count) }
    }

    /// Blocks in order of their start, never overlapping.
    private var blocks: [Block] = []
    private var uses = 0
    private var lastOffset: Int64 = -1
    private var lastEnd: Int64 = -1
    /// Where the current run of reads that follow each other began.
    private var streamStart: Int64 = 0
    /// The size of the next block fetched.
    private var nextBlock: Int

    init(path: String, bucket: String, key: String, size: Int64, client: S3Client, options: S3ReadOptions, counter: S3ReadCounter) {
        (self.path, self.bucket, self.key, self.size, self.client, self.options, self.counter) = (path, bucket, key, size, client, options, counter)
        nextBlock = options.firstBlock
    }

    deinit {
        for block in blocks { block.fetch.cancel() }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(SSTableError) {
        let end = offset + Int64(buffer.count)
        guard offset >= 0, end <= size else {
            throw SSTableError(path: path, offset: offset, "\(buffer.count) bytes run past the end of the object (\(size) bytes): it is truncated")
        }
        guard buffer.count > 0 else { return }
        // A read that starts inside or right after the one before continues a stream.
        let sequential = offset > lastOffset && offset <= lastEnd
        if !sequential { (nextBlock, streamStart) = (options.firstBlock, offset) }
        (lastOffset, lastEnd) = (offset, end)
        uses += 1
        var needed: [Block] = []
        var position = offset
        var index = blocks.firstIndex { $0.end > offset } ?? blocks.count
        while position < end {
            if index < blocks.count, blocks[index].start <= position {
                needed.append(blocks[index])
            } else {
                let limit = index < blocks.count ? blocks[index].start : size
                let block = fetch(at: position, count: Int(min(max(Int64(nextBlock), end - position), limit - position)))
                blocks.insert(block, at: index)
                needed.append(block)
                if sequential { grow() }
            }
            position = blocks[index].end
            index += 1
        }
        if sequential { readAhead(from: position, index: index, readEnd: end) }
        var copied = 0
        for block in needed {
            block.lastUse = uses
            let bytes = try body(of: block)
            let from = Int(max(offset, block.start) - block.start), to = Int(min(end, block.end) - block.start)
            bytes.withUnsafeReadableBytes { raw in
                (buffer.baseAddress! + copied).copyMemory(from: raw.baseAddress! + from, byteCount: to - from)
            }
            copied += to - from
        }
        evict(consumedBefore: sequential ? offset : nil)
    }

    /// Keeps up to ``S3ReadOptions/readAhead`` blocks in flight after `frontier` (where the
    /// blocks of the current read end, at `index` of `blocks`), never further past `readEnd` than
    /// the stream has read so far: a short run (a point read, the end of a token share) fetches
    /// little it will not use.
    private func readAhead(from frontier: Int64, index: Int, readEnd: Int64) {
        var frontier = frontier, index = index
        let reach = readEnd + min(Int64(options.readAhead * options.maxBlock), readEnd - streamStart)
        for _ in 0..<options.readAhead where frontier < min(size, reach) {
            if index >= blocks.count || blocks[index].start != frontier {
                let limit = index < blocks.count ? blocks[index].start : size
                blocks.insert(fetch(at: frontier, count: Int(min(Int64(nextBlock), limit - frontier, max(reach - frontier, Int64(options.firstBlock))))), at: index)
                grow()
            }
            frontier = blocks[index].end
            index += 1
        }
    }

    private func grow() { nextBlock = min(nextBlock * 2, options.maxBlock) }

    /// Starts a ranged GET.
    private func fetch(at start: Int64, count: Int) -> Block {
        let (client, bucket, key, counter) = (client, bucket, key, counter)
        let fetch = BlockingResult<ByteBuffer> {
            let body = try await client.getObject(bucket: bucket, key: key, range: start...(start + Int64(count) - 1), maxBytes: count + 1).body
            counter.add(body.readableBytes)
            return body
        }
        return Block(start: start, count: count, fetch: fetch, lastUse: uses)
    }

    /// A block's bytes, waiting for them; an error names the object and the range.
    private func body(of block: Block) throws(SSTableError) -> ByteBuffer {
        let range = "bytes \(block.start)–\(block.end - 1)"
        switch block.fetch.wait() {
        case .success(let body):
            guard body.readableBytes == block.count else {
                throw SSTableError(path: path, offset: block.start, "a GET of \(range) returned \(body.readableBytes) bytes: the object is shorter than the \(size) bytes listed (replaced or truncated)")
            }
            return body
        case .failure(let error as AWSError) where error.httpStatus == 404:
            throw SSTableError(path: path, "the object is gone (HTTP 404): it was deleted after it was listed; list it again or restore it")
        case .failure(let error as AWSError) where error.httpStatus == 416:
            throw SSTableError(path: path, offset: block.start, "\(range) lie past the object's end: it is shorter than the \(size) bytes listed (replaced or truncated)")
        case .failure(let error):
            throw SSTableError(path: path, offset: block.start, "GET of \(range) failed: \(error)")
        }
    }

    /// Drops blocks a stream has passed (`consumedBefore`), then the least recently used ones
    /// while the blocks hold more than ``S3ReadOptions/memoryLimit`` bytes.
    private func evict(consumedBefore offset: Int64?) {
        if let offset {
            blocks.removeAll { block in
                guard block.end <= offset else { return false }
                block.fetch.cancel()
                return true
            }
        }
        var held = blocks.reduce(0) { $0 + $1.count }
        while held > options.memoryLimit, blocks.count > 1, let oldest = blocks.indices.min(by: { blocks[$0].lastUse < blocks[$1].lastUse }),
              blocks[oldest].lastUse < uses {
            held -= blocks[oldest].count
            blocks[oldest].fetch.cancel()
            blocks.remove(at: oldest)
        }
    }
}
