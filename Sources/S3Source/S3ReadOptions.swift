/// How objects are read: ranged GETs that grow while a file is read in order (read-ahead), with
/// a few in flight, so a sequential read streams and a point read fetches little.
public struct S3ReadOptions: Sendable {
    /// The first GET at a new place (an index lookup, a point read, a seek).
    public var firstBlock: Int
    /// Blocks double while reads follow each other, up to this size.
    public var maxBlock: Int
    /// Blocks fetched ahead of the one being read, while reads follow each other.
    public var readAhead: Int

    public init(firstBlock: Int = 64 << 10, maxBlock: Int = 8 << 20, readAhead: Int = 3) {
        self.firstBlock = max(4096, firstBlock)
        self.maxBlock = max(self.firstBlock, maxBlock)
        self.readAhead = max(0, readAhead)
    }

    /// Bytes one open object may hold: the block being read, the blocks ahead and one more.
    var memoryLimit: Int { maxBlock * (readAhead + 2) }
}
