import AWS
import DynamoModel
import Foundation
import TestSupport
import Synchronization
import Testing

/// BatchWriteItem through a proxy that throttles, fails, drops connections and reports partial
/// writes: every item must arrive exactly once, and retries must stay inside the budget.
@Suite(.enabled(if: MotoServer.shouldRun, "moto_server or boto3 missing; install with pip install \"moto[server]\" boto3"))
struct FaultInjectionTests {
    /// The repeating schedule of faults applied to successive BatchWriteItem requests.
    static let pattern: [FaultProxy.Fault] = [
        .pass, .error400("ThrottlingException"), .partial, .error400("ProvisionedThroughputExceededException"),
        .status(500), .dropBeforeForward, .pass, .dropAfterForward, .status(503), .partial, .status(502), .pass,
    ]

    static func createTable(_ ddb: DynamoDBClient, _ name: String) async throws {
        try await ddb.createTable(TableDefinition(tableName: name, attributeDefinitions: [.init("pk", .string), .init("sk", .number)],
                                                  keySchema: [.init("pk", .hash), .init("sk", .range)]))
    }

    static func withProxy<T: Sendable>(_ moto: MotoServer, maxFaultsPerBody: Int = .max,
                                       schedule: @escaping @Sendable (Int) -> FaultProxy.Fault,
                                       _ body: (FaultProxy) async throws -> T) async throws -> T {
        let proxy = FaultProxy(upstream: moto.url, maxFaultsPerBody: maxFaultsPerBody, schedule: schedule)
        try await proxy.start()
        do {
            let result = try await body(proxy)
            try await proxy.stop()
            return result
        } catch {
            try? await proxy.stop()
            throw error
        }
    }

    @Test(arguments: [false, true])
    func batchWriteDeliversEveryItemExactlyOnce(adaptive: Bool) async throws {
        try await MotoServer.with { moto in
            let direct = moto.dynamoDB()
            try await Self.createTable(direct, "faults")
            // Each partition's first item goes in alone first: moto creates a partition's store on its first
            // write without a lock, and concurrent batches creating the same one can lose an item. The
            // batches below write these 17 again, unchanged.
            for i in 0..<17 { try await direct.putItem(tableName: "faults", item: TestItems.rich(pk: "f\(i)", sk: i)) }
            try await direct.shutdown()

            // At most 3 faults per distinct request body, so 6 attempts always suffice.
            try await Self.withProxy(moto, maxFaultsPerBody: 3, schedule: { Self.pattern[$0 % Self.pattern.count] }) { proxy in
                let policy = RetryPolicy(maxAttempts: 6, baseDelay: 0.005, throttlingBaseDelay: 0.02, maxBackoff: 0.25)
                let quota = RetryQuota(capacity: 500, retryCost: 5, timeoutRetryCost: 10)
                let configuration = TransportConfiguration(retryPolicy: policy, retryQuota: quota, adaptiveRateLimiting: adaptive,
                                                           attemptTimeout: 5, connectTimeout: 2, maxConnectionsPerHost: 8)
                let ddb = moto.dynamoDB(configuration: configuration, endpoint: AWSEndpoint(url: proxy.url)!)
                let itemCount = adaptive ? 300 : 400
                let items = (0..<itemCount).map { TestItems.rich(pk: "f\($0 % 17)", sk: $0) }
                let report = try await ddb.batchWrite(
                    tableName: "faults", requests: items.map(WriteRequest.put),
                    options: BatchWriteOptions(concurrency: 4, deadline: 60,
                                               backoff: RetryPolicy(maxAttempts: 1, baseDelay: 0.005, throttlingBaseDelay: 0.01, maxBackoff: 0.1)))
                let stats = ddb.transport.statistics
                let limiter = ddb.transport.rateLimiter
                try await ddb.shutdown()

                // Every item exactly once, by content (boto3 reads moto directly, not through the proxy).
                let stored = try await moto.boto3ScanItems("faults")
                #expect(stored.count == itemCount)
                let expected = Dictionary(uniqueKeysWithValues: items.map { (DynamoDBIntegrationTests.key($0), normalized($0)) })
                let mismatched = stored.filter { expected[DynamoDBIntegrationTests.key($0)] != normalized($0) }.count
                #expect(mismatched == 0)
                #expect(Set(stored.map(DynamoDBIntegrationTests.key)).count == itemCount)

                // Every kind of fault was injected, and retried.
                let injected = proxy.injected.withLock { $0 }
                for fault in Set(Self.pattern) where fault != .pass {
                    #expect((injected["\(fault)"] ?? 0) > 0, "fault \(fault) never injected")
                }
                #expect(report.processedRequests == itemCount)
                #expect(report.unprocessedResends >= (injected["\(FaultProxy.Fault.partial)"] ?? 0))
                #expect(stats.throttles >= (injected["\(FaultProxy.Fault.error400("ThrottlingException"))"] ?? 0))
                #expect(stats.connectionErrors > 0)
                #expect(stats.transientErrors > 0)

                // Retries within the configured budget: never more than maxAttempts per request, no
                // more retries than the bucket could pay for, and backoff within its bound.
                #expect(stats.attempts == stats.requests + stats.retries)
                #expect(stats.retries <= stats.requests * (policy.maxAttempts - 1))
                let failures = stats.throttles + stats.transientErrors + stats.connectionErrors
                #expect(stats.retries <= failures)
                #expect(stats.retries * quota.retryCost <= quota.capacity + stats.requests * max(quota.successIncrement, quota.timeoutRetryCost))
                #expect(stats.backoffSeconds <= Double(stats.retries) * policy.maxBackoff)
                #expect(ddb.transport.retryTokensAvailable <= quota.capacity)
                if adaptive {
                    #expect(limiter.isEnabled, "throttling must switch the adaptive limiter on")
                }
            }
        }
    }

    @Test func retryBudgetStopsRetries() async throws {
        try await MotoServer.with { moto in
            let direct = moto.dynamoDB()
            try await Self.createTable(direct, "budget")
            try await direct.shutdown()

            // Every BatchWriteItem is throttled; a bucket of 20 tokens pays for exactly 4 retries of cost 5.
            try await Self.withProxy(moto, schedule: { _ in .error400("ThrottlingException") }) { proxy in
                let configuration = TransportConfiguration(
                    retryPolicy: RetryPolicy(maxAttempts: 10, baseDelay: 0.001, throttlingBaseDelay: 0.001, maxBackoff: 0.01),
                    retryQuota: RetryQuota(capacity: 20, retryCost: 5, timeoutRetryCost: 10), adaptiveRateLimiting: false)
                let ddb = moto.dynamoDB(configuration: configuration, endpoint: AWSEndpoint(url: proxy.url)!)
                let error = try await #require(throws: AWSError.self) {
                    _ = try await ddb.batchWriteItem(["budget": [.put(["pk": .s("a"), "sk": .n("1")])]])
                }
                #expect(error.code == "ThrottlingException")
                #expect(error.attempts == 5)
                #expect(error.requestID == "INJECTED-ThrottlingException")
                let stats = ddb.transport.statistics
                #expect(stats.retries == 4)
                #expect(stats.quotaRefusals == 1)
                #expect(stats.attempts == 5)
                #expect(ddb.transport.retryTokensAvailable == 0)

                // The whole-batch loop keeps going on throttles only until its deadline.
                let started = Date()
                let loopError = try await #require(throws: AWSError.self) {
                    _ = try await ddb.batchWrite(tableName: "budget", requests: [.put(["pk": .s("b"), "sk": .n("2")])],
                                                 options: BatchWriteOptions(deadline: 0.5))
                }
                #expect(Date().timeIntervalSince(started) < 5)
                #expect(loopError.code == "ThrottlingException" || loopError.kind == .deadlineExceeded)
                try await ddb.shutdown()
                #expect(proxy.batchRequests.withLock { $0 } >= 6)
            }
            let count = try await moto.boto3("print(ddb.scan(TableName='budget', Select='COUNT')['Count'])")
            #expect(String(decoding: count, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        }
    }
}
