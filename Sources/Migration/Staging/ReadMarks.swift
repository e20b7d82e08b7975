import SSTable

/// What one staging run read of a table (or of its token share), for later catch-up passes
/// (`migrate --since`): the run's high-water marks and, per SSTable, the Statistics.db values they
/// come from. Taken from Statistics.db, which Cassandra's writer fills from every cell, row
/// marker and tombstone it writes: exact for the files read (a token share's marks cover its
/// files whole, so they bound the share's data from above).
public struct ReadMarks: Codable, Sendable, Hashable {
    /// The largest write timestamp (µs) of everything read; nil when an SSTable's Statistics.db
    /// does not give its own (the run then has no mark).
    public var maxTimestamp: Int64?
    /// The largest local deletion time (s) of everything read: tombstones' deletion times and
    /// TTL expiries; ``Statistics/noDeletionTime`` when anything read never expires. Nil as
    /// for ``maxTimestamp``.
    public var maxLocalDeletionTime: Int64?
    /// When the run started: the time TTLs were judged at (the manifest's `now`), seconds since the epoch.
    public var started: Int64
    /// The SSTables read.
    public var sstables: [SSTableMarks]

    /// The marks of `sstables`, read at `started`.
    public init(sstables: [SSTable], started: Int64) {
        let files = sstables.map(SSTableMarks.init).sorted { $0.file < $1.file }
        func largest(_ value: (SSTableMarks) -> Int64?) -> Int64? {
            let values = files.map(value)
            return values.contains(where: { $0 == nil }) ? nil : values.compactMap { $0 }.max()
        }
        maxTimestamp = largest(\.maxTimestamp)
        maxLocalDeletionTime = largest(\.maxLocalDeletionTime)
        self.started = started
        self.sstables = files
    }
}

/// One SSTable's Statistics.db timestamps (``ReadMarks``); nil where the file does not give them.
public struct SSTableMarks: Codable, Sendable, Hashable {
    /// The path of its Data.db as read.
    public var file: String
    public var minTimestamp: Int64?
    public var maxTimestamp: Int64?
    public var maxLocalDeletionTime: Int64?

    init(_ sstable: SSTable) {
        file = sstable.descriptor.dataPath
        minTimestamp = sstable.statistics.minTimestamp
        maxTimestamp = sstable.statistics.maxTimestamp
        maxLocalDeletionTime = sstable.statistics.maxLocalDeletionTime
    }
}
