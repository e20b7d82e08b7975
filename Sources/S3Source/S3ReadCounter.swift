import Synchronization

/// Bytes and GETs an ``S3SSTableStore`` fetched, for reports and tests.
public final class S3ReadCounter: Sendable {
    private let bytes = Atomic<Int64>(0)
    private let requests = Atomic<Int>(0)

    public init() {}

    /// Bytes received from ranged GETs.
    public var bytesFetched: Int64 { bytes.load(ordering: .relaxed) }
    /// Ranged GETs sent.
    public var getRequests: Int { requests.load(ordering: .relaxed) }

    func add(_ count: Int) {
        bytes.add(Int64(count), ordering: .relaxed)
        requests.add(1, ordering: .relaxed)
    }
}
