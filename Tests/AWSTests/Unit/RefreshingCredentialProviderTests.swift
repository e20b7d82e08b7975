import AWS
import Synchronization
import Testing

/// Caching, refresh 5 minutes before expiry, one shared fetch, stale credentials on a failed refresh.
@Suite struct RefreshingCredentialProviderTests {
    /// A clock and a fetch whose calls are counted; each fetch returns credentials valid for an hour.
    final class Fixture: Sendable {
        let time = Mutex<Int64>(1_000_000)
        let fetches = Mutex(0)
        let failing = Mutex(false)

        func provider(delay: Duration = .zero) -> RefreshingCredentialProvider {
            RefreshingCredentialProvider(now: { AmzDate(epochSeconds: self.time.withLock { $0 }) }) {
                try await Task.sleep(for: delay)
                if self.failing.withLock({ $0 }) { throw AWSConfigurationError("the endpoint is down") }
                let count = self.fetches.withLock { $0 += 1; return $0 }
                return AWSCredentials(accessKeyID: "ASIA\(count)", secretAccessKey: "secret\(count)", sessionToken: "token\(count)",
                                      expiration: AmzDate(epochSeconds: self.time.withLock { $0 } + 3600))
            }
        }
    }

    @Test func refreshesFiveMinutesBeforeExpiry() async throws {
        let fixture = Fixture()
        let provider = fixture.provider()
        #expect(try await provider.credentials().accessKeyID == "ASIA1")
        fixture.time.withLock { $0 += 3600 - 301 }
        #expect(try await provider.credentials().accessKeyID == "ASIA1")
        #expect(fixture.fetches.withLock { $0 } == 1)
        fixture.time.withLock { $0 += 2 }
        #expect(try await provider.credentials().accessKeyID == "ASIA2")
        #expect(fixture.fetches.withLock { $0 } == 2)
    }

    @Test func concurrentCallersShareOneFetch() async throws {
        let fixture = Fixture()
        let provider = fixture.provider(delay: .milliseconds(200))
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await provider.credentials().accessKeyID } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(keys == ["ASIA1"])
        #expect(fixture.fetches.withLock { $0 } == 1)
    }

    @Test func aFailedRefreshKeepsUnexpiredCredentialsAndThenFails() async throws {
        let fixture = Fixture()
        let provider = fixture.provider()
        _ = try await provider.credentials()
        fixture.failing.withLock { $0 = true }
        fixture.time.withLock { $0 += 3600 - 60 }
        #expect(try await provider.credentials().accessKeyID == "ASIA1")
        fixture.time.withLock { $0 += 61 }
        let error = try await #require(throws: AWSConfigurationError.self) { try await provider.credentials() }
        #expect(error.message == "the endpoint is down")
        fixture.failing.withLock { $0 = false }
        #expect(try await provider.credentials().accessKeyID == "ASIA2")
    }
}
