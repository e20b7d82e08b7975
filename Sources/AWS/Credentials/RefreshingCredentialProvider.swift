import Synchronization

/// Caches temporary credentials and fetches new ones when less than ``refreshMargin`` seconds of
/// their lifetime remain, the way the AWS SDKs do. Callers that arrive during a fetch share it.
///
/// When a refresh fails while the cached credentials have not expired yet, those are used and the
/// next call tries again.
public final class RefreshingCredentialProvider: AWSCredentialProvider {
    /// Seconds before expiration at which credentials are renewed (5 minutes).
    public static let refreshMargin: Int64 = 300

    private let fetch: @Sendable () async throws -> AWSCredentials
    private let now: @Sendable () -> AmzDate
    private let state = Mutex(State())

    private struct State {
        var cached: AWSCredentials?
        var refresh: Task<AWSCredentials, any Error>?
    }

    /// Creates a provider around `fetch`, which returns credentials with their ``AWSCredentials/expiration``
    /// (none: they are kept for good). `now` is the wall clock (injectable for tests).
    public init(now: (@Sendable () -> AmzDate)? = nil, fetch: @escaping @Sendable () async throws -> AWSCredentials) {
        self.fetch = fetch
        self.now = now ?? { AmzDate.now() }
    }

    /// The cached credentials while more than ``refreshMargin`` seconds remain, else fresh ones.
    public func credentials() async throws -> AWSCredentials {
        let time = now().epochSeconds
        let step: Step = state.withLock { state in
            if let cached = state.cached, Self.isFresh(cached, at: time) { return .cached(cached) }
            if let refresh = state.refresh { return .wait(refresh, stale: state.cached) }
            let refresh = Task { try await self.refreshed() }
            state.refresh = refresh
            return .wait(refresh, stale: state.cached)
        }
        switch step {
        case .cached(let credentials):
            return credentials
        case .wait(let refresh, let stale):
            do {
                return try await refresh.value
            } catch {
                if let stale, let expiration = stale.expiration, time < expiration.epochSeconds { return stale }
                throw error
            }
        }
    }

    private enum Step {
        case cached(AWSCredentials)
        case wait(Task<AWSCredentials, any Error>, stale: AWSCredentials?)
    }

    private func refreshed() async throws -> AWSCredentials {
        do {
            let credentials = try await fetch()
            state.withLock {
                $0.cached = credentials
                $0.refresh = nil
            }
            return credentials
        } catch {
            state.withLock { $0.refresh = nil }
            throw error
        }
    }

    private static func isFresh(_ credentials: AWSCredentials, at time: Int64) -> Bool {
        guard let expiration = credentials.expiration else { return true }
        return expiration.epochSeconds - time > refreshMargin
    }
}
