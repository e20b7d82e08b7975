import JSONCoding
import AsyncHTTPClient
import Crypto
import HexCoding
import NIOCore
import NIOHTTP1
import Synchronization

/// Sends signed requests to one AWS service endpoint over a pooled async-http-client, with
/// retries (exponential backoff, full jitter), a shared retry budget and adaptive rate limiting.
///
/// Errors thrown are ``AWSError`` (or `CancellationError` when the task is cancelled).
public final class AWSTransport: Sendable {
    /// Where requests go.
    public let endpoint: AWSEndpoint
    /// The region in the signature's credential scope, e.g. `us-east-1`.
    public let region: String
    /// The signing name of the service, e.g. `dynamodb` or `s3`.
    public let service: String
    /// Gives the credentials for each attempt.
    public let credentialProvider: any AWSCredentialProvider
    /// Retry, budget and pool settings.
    public let configuration: TransportConfiguration

    private let httpClient: HTTPClient
    private let ownsHTTPClient: Bool
    private let state: Mutex<State>
    private let isShutDown = Mutex(false)

    private struct State {
        var quota: RetryQuota
        var limiter: AdaptiveRateLimiter
        var statistics = TransportStatistics()
    }

    /// Creates a transport signing for `service` in `region` with the provider's credentials. Pass an
    /// `httpClient` to share a connection pool; otherwise one is created and shut down by ``shutdown()``.
    public init(endpoint: AWSEndpoint, region: String, service: String, credentials: any AWSCredentialProvider,
                configuration: TransportConfiguration = TransportConfiguration(), httpClient: HTTPClient? = nil) {
        self.endpoint = endpoint
        self.region = region
        self.service = service
        self.credentialProvider = credentials
        self.configuration = configuration
        if let httpClient {
            self.httpClient = httpClient
            self.ownsHTTPClient = false
        } else {
            self.httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.httpConfiguration(configuration))
            self.ownsHTTPClient = true
        }
        state = Mutex(State(quota: configuration.retryQuota, limiter: AdaptiveRateLimiter(now: MonotonicClock.now())))
    }

    /// An async-http-client configuration matching `configuration` (timeouts, pool size, no redirects).
    public static func httpConfiguration(_ configuration: TransportConfiguration) -> HTTPClient.Configuration {
        var http = HTTPClient.Configuration()
        http.timeout = .init(connect: .milliseconds(Int64(configuration.connectTimeout * 1000)),
                             read: .milliseconds(Int64(configuration.attemptTimeout * 1000)))
        http.connectionPool = .init(idleTimeout: .seconds(50),
                                    concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.maxConnectionsPerHost)
        http.connectionPool.retryConnectionEstablishment = configuration.retryConnectionEstablishment
        http.redirectConfiguration = .disallow
        http.decompression = .disabled
        return http
    }

    /// Shuts down the HTTP client if this transport created it.
    public func shutdown() async throws {
        let first = isShutDown.withLock { done in
            defer { done = true }
            return !done
        }
        if ownsHTTPClient, first {
            try await httpClient.shutdown()
        }
    }

    deinit {
        // A transport dropped without shutdown() (e.g. on an error path) must not crash the process.
        if ownsHTTPClient, !isShutDown.withLock({ $0 }) {
            httpClient.shutdown { _ in }
        }
    }

    /// A snapshot of the counters.
    public var statistics: TransportStatistics {
        state.withLock { $0.statistics }
    }

    /// Tokens left in the retry budget.
    public var retryTokensAvailable: Int {
        state.withLock { $0.quota.available }
    }

    /// The adaptive limiter's current state (for progress output and tests).
    public var rateLimiter: AdaptiveRateLimiter {
        state.withLock { $0.limiter }
    }

    /// Sends `request`, retrying retryable failures, and returns the first successful response.
    public func send(_ request: AWSRequest) async throws -> AWSResponse {
        let payloadHash: String
        switch request.payloadSigning {
        case .signed: payloadHash = Self.sha256Hex(request.body)
        case .unsigned: payloadHash = SigV4Signer.unsignedPayload
        }
        state.withLock { $0.statistics.requests += 1 }
        var attempt = 0
        var retryTokens = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            let credentials = try await currentCredentials(for: request.operation)
            if configuration.adaptiveRateLimiting {
                let wait = state.withLock { $0.limiter.acquire(now: MonotonicClock.now()) }
                if wait > 0 {
                    state.withLock { $0.statistics.rateLimitWaitSeconds += wait }
                    try await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
                }
            }
            state.withLock { $0.statistics.attempts += 1 }

            let outcome: AttemptOutcome
            do {
                outcome = try await attemptOnce(request, payloadHash: payloadHash, credentials: credentials)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                outcome = .connectionFailure(TransportFailure.message(error))
            }

            let failure: AWSError
            let classification: RetryClassification
            switch outcome {
            case .success(let response):
                state.withLock {
                    $0.quota.recordSuccess(retryTokens: retryTokens)
                    if configuration.adaptiveRateLimiting { $0.limiter.record(throttled: false, now: MonotonicClock.now()) }
                }
                return response
            case .serviceError(let error):
                failure = error
                classification = RetryClassification.classify(code: error.code, status: error.httpStatus ?? 0)
            case .connectionFailure(let description):
                failure = AWSError(kind: .transport, service: service, operation: request.operation,
                                   message: scrub(description, credentials))
                classification = .connection
            case .invalid(let error):
                failure = error
                classification = .final
            }

            let retryCost: Int? = state.withLock { state in
                switch classification {
                case .throttling: state.statistics.throttles += 1
                case .transient: state.statistics.transientErrors += 1
                case .connection: state.statistics.connectionErrors += 1
                case .final: break
                }
                if configuration.adaptiveRateLimiting, classification != .connection {
                    state.limiter.record(throttled: classification == .throttling, now: MonotonicClock.now())
                }
                guard classification != .final, attempt < configuration.retryPolicy.maxAttempts, request.isIdempotent else {
                    return nil
                }
                guard let cost = state.quota.acquireRetry(afterTimeout: classification == .connection) else {
                    state.statistics.quotaRefusals += 1
                    return nil
                }
                state.statistics.retries += 1
                return cost
            }
            guard let retryCost else {
                var final = failure
                final.attempts = attempt
                throw final
            }
            retryTokens += retryCost
            let delay = configuration.retryPolicy.delay(
                retry: attempt, throttled: classification == .throttling, random: Double.random(in: 0..<1))
            state.withLock { $0.statistics.backoffSeconds += delay }
            if delay > 0 {
                try await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
            }
        }
    }

    private enum AttemptOutcome {
        case success(AWSResponse)
        case serviceError(AWSError)
        case connectionFailure(String)
        case invalid(AWSError)
    }

    /// The provider's current credentials; a failure to get them is final (an ``AWSError`` of kind `credentials`).
    private func currentCredentials(for operation: String) async throws -> AWSCredentials {
        do {
            return try await credentialProvider.credentials()
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw AWSError(kind: .credentials, service: service, operation: operation, message: "no credentials: \(error)")
        }
    }

    private func attemptOnce(_ request: AWSRequest, payloadHash: String, credentials: AWSCredentials) async throws -> AttemptOutcome {
        let host = request.hostOverride ?? endpoint.host
        let hostHeader = endpoint.hostHeader(forHost: host)
        let path = endpoint.basePath + request.path
        var url = "\(endpoint.scheme)://\(hostHeader)\(path)"
        if !request.query.isEmpty { url += "?" + request.wireQuery }

        var headers: [(String, String)] = [("host", hostHeader)]
        headers.append(contentsOf: request.headers)
        let signer = SigV4Signer(credentials: credentials, region: region, service: service)
        let added = signer.sign(method: request.method, path: path, query: request.query, headers: headers,
                                payloadHash: payloadHash, date: .now())
        headers.append(contentsOf: added)

        var httpRequest = HTTPClientRequest(url: url)
        httpRequest.method = HTTPMethod(rawValue: request.method)
        for (name, value) in headers {
            httpRequest.headers.add(name: name, value: value)
        }
        if request.body.readableBytes > 0 || request.method == "PUT" || request.method == "POST" {
            httpRequest.body = .bytes(request.body)
        }
        let response = try await httpClient.execute(httpRequest, timeout: .milliseconds(Int64(configuration.attemptTimeout * 1000)))
        let status = Int(response.status.code)
        let responseHeaders = response.headers.map { ($0.name, $0.value) }
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: request.maxResponseBytes)
        } catch let error as NIOTooManyBytesError {
            return .invalid(AWSError(kind: .invalidResponse, service: service, operation: request.operation,
                                     message: "response body larger than \(request.maxResponseBytes) bytes (\(error))",
                                     httpStatus: status))
        }
        let awsResponse = AWSResponse(status: status, headers: responseHeaders, body: body)
        if (200..<300).contains(status) {
            if request.errorMayHideIn200, let hidden = hiddenError(awsResponse, operation: request.operation, credentials: credentials) {
                return .serviceError(hidden)
            }
            return .success(awsResponse)
        }
        return .serviceError(serviceError(awsResponse, operation: request.operation, isHead: request.method == "HEAD",
                                           credentials: credentials))
    }

    /// S3 may answer 200 and then put an `<Error>` (or nothing parseable) in the body; treat that as a 500.
    private func hiddenError(_ response: AWSResponse, operation: String, credentials: AWSCredentials) -> AWSError? {
        guard let body = try? AWSXML.decode(AWSXML.ErrorBody.self, from: response.body.readableBytesView) else {
            return AWSError(kind: .service, service: service, operation: operation, code: "InternalError",
                            message: "200 response with an unparseable body", httpStatus: 500, requestID: response.requestID)
        }
        guard body.innermost != nil else { return nil }
        var error = serviceError(response, operation: operation, isHead: false, credentials: credentials)
        error.httpStatus = 500
        return error
    }

    /// Builds an ``AWSError`` from an error response (JSON 1.0, REST-XML or query-XML bodies), without
    /// the secret or token of the `credentials` the request was signed with.
    func serviceError(_ response: AWSResponse, operation: String, isHead: Bool, credentials: AWSCredentials) -> AWSError {
        var code: String?
        var message: String?
        var requestID = response.requestID
        let bytes = response.body.readableBytesView
        let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        if first == UInt8(ascii: "{"), let json = try? JSONValue.parse(bytes) {
            if let type = json["__type"]?.stringValue ?? json["code"]?.stringValue ?? json["Code"]?.stringValue {
                code = Self.shortCode(type)
            }
            message = json["message"]?.stringValue ?? json["Message"]?.stringValue ?? json["errorMessage"]?.stringValue
        } else if first == UInt8(ascii: "<"), let body = try? AWSXML.decode(AWSXML.ErrorBody.self, from: bytes) {
            code = body.innermost?.code
            message = body.innermost?.message
            requestID = requestID ?? body.anyRequestID
        }
        if code == nil, let header = response.header("x-amzn-errortype") {
            code = Self.shortCode(header)
        }
        if code == nil, isHead || bytes.isEmpty {
            code = switch response.status {
            case 404: "NotFound"
            case 403: "Forbidden"
            case 400: "BadRequest"
            case 301: "PermanentRedirect"
            case 412: "PreconditionFailed"
            default: nil
            }
        }
        if message == nil {
            message = bytes.isEmpty || first == UInt8(ascii: "<") || first == UInt8(ascii: "{")
                ? "HTTP \(response.status)"
                : "HTTP \(response.status): " + String(decoding: bytes.prefix(200), as: UTF8.self)
        }
        return AWSError(kind: .service, service: service, operation: operation, code: code,
                        message: scrub(message ?? "", credentials), httpStatus: response.status, requestID: requestID)
    }

    /// `com.amazonaws.dynamodb.v20120810#ResourceNotFoundException` → `ResourceNotFoundException`;
    /// `Code:http://…` → `Code`.
    static func shortCode(_ raw: String) -> String {
        var code = Substring(raw)
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        return String(code)
    }

    private func scrub(_ text: String, _ credentials: AWSCredentials) -> String {
        AWSError.scrub(text, secrets: [credentials.secretAccessKey, credentials.sessionToken].compactMap { $0 })
    }

    static func sha256Hex(_ buffer: ByteBuffer) -> String {
        var hasher = SHA256()
        buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        return Hex.encode(hasher.finalize())
    }
}
