import Dispatch
import Synchronization

/// Async work started now and awaited later by a thread that is not one of Swift's concurrency
/// threads (the SSTable reader runs on the main thread or an extraction thread of its own).
final class BlockingResult<Value: Sendable>: Sendable {
    /// The outcome, once there, and the signal that it is.
    private final class State: Sendable {
        let outcome = Mutex<Result<Value, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
    }

    private let state: State
    private let task: Task<Void, Never>

    init(_ work: @escaping @Sendable () async throws -> Value) {
        let state = State()
        self.state = state
        task = Task {
            let result: Result<Value, any Error>
            do { result = .success(try await work()) } catch { result = .failure(error) }
            state.outcome.withLock { $0 = result }
            state.done.signal()
        }
    }

    /// The work's value or error, waiting for it the first time.
    func wait() -> Result<Value, any Error> {
        if let ready = state.outcome.withLock({ $0 }) { return ready }
        state.done.wait()
        state.done.signal()  // later waits return at once
        return state.outcome.withLock { $0! }
    }

    /// Stops work whose value is no longer wanted.
    func cancel() { task.cancel() }
}
