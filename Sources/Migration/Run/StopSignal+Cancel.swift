extension StopSignal {
    /// Runs `body` and cancels it as soon as a stop is requested, so a step waiting on the network
    /// (a Scan page, an import poll, the write budget, a part upload) stops within a tenth of a
    /// second rather than at its next checkpoint; throws ``Stopped`` then. What `body` finished is
    /// checkpointed as usual; what it was doing is redone on resume.
    public func cancelling<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                while !self.isStopped { try await Task.sleep(for: .milliseconds(50)) }
                return nil
            }
            defer { group.cancelAll() }
            // The first to finish: `body`'s value or error, or the watcher's nil on a stop.
            guard let first = try await group.next(), let value = first else { throw Stopped() }
            return value
        }
    }
}
