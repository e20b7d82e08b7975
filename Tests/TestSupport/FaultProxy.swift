import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A loopback HTTP proxy in front of moto that injects faults into DynamoDB BatchWriteItem calls on
/// a schedule: throttling errors, 5xx, dropped connections (before and after forwarding), and
/// partial writes reported back as UnprocessedItems. Other requests pass through, their DynamoDB
/// bodies recorded.
public final class FaultProxy: Sendable {
    public enum Fault: Sendable, Hashable {
        /// Forward and relay the response.
        case pass
        /// Answer 400 with this error code (not forwarded).
        case error400(String)
        /// Answer with this 5xx status (not forwarded).
        case status(Int)
        /// Close the connection without forwarding.
        case dropBeforeForward
        /// Forward (the write happens), then close without answering.
        case dropAfterForward
        /// Forward only the first half of the items; report the rest as UnprocessedItems.
        case partial
    }

    /// Counts of what was injected, by fault.
    public let injected = Mutex<[String: Int]>([:])
    /// BatchWriteItem requests seen.
    public let batchRequests = Mutex(0)
    /// The bodies of the other DynamoDB requests passed through, by operation (`ImportTable`).
    public let requests = Mutex<[String: [String]]>([:])

    private let upstream: String
    private let schedule: @Sendable (Int) -> Fault
    private let maxFaultsPerBody: Int
    private let faultsByBody = Mutex<[Int: Int]>([:])
    private let client: HTTPClient
    private let channel: Mutex<(any Channel)?> = Mutex(nil)
    private let portBox = Mutex(0)

    public var port: Int { portBox.withLock { $0 } }
    public var url: String { "http://127.0.0.1:\(port)" }

    /// `maxFaultsPerBody` bounds how often the same request body is faulted, so that a request
    /// cannot be unlucky forever when several are in flight.
    public init(upstream: String, maxFaultsPerBody: Int = .max, schedule: @escaping @Sendable (Int) -> Fault) {
        self.upstream = upstream
        self.maxFaultsPerBody = maxFaultsPerBody
        self.schedule = schedule
        self.client = HTTPClient(eventLoopGroupProvider: .singleton)
    }

    public func start() async throws {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(ProxyHandler(proxy: self))
                }
            }
        let server = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        portBox.withLock { $0 = server.localAddress?.port ?? 0 }
        channel.withLock { $0 = server }
    }

    public func stop() async throws {
        let server = channel.withLock { $0 }
        try? await server?.close().get()
        try await client.shutdown()
    }

    private func count(_ fault: Fault) {
        injected.withLock { $0["\(fault)", default: 0] += 1 }
    }

    /// Handles one complete request; returns the response to send, or nil to drop the connection.
    func handle(head: HTTPRequestHead, body: ByteBuffer) async -> (HTTPResponseHead, ByteBuffer)? {
        let operation = head.headers["x-amz-target"].first.map { String($0.split(separator: ".").last ?? "") }
        let isBatch = operation == "BatchWriteItem"
        var fault = Fault.pass
        if let operation, !isBatch {
            requests.withLock { $0[operation, default: []].append(String(decoding: body.readableBytesView, as: UTF8.self)) }
        }
        if isBatch {
            let index = batchRequests.withLock { value in
                defer { value += 1 }
                return value
            }
            fault = schedule(index)
            let bodyKey = body.readableBytesView.hashValue
            let allowed = faultsByBody.withLock { faults in
                guard fault != .pass else { return true }
                if faults[bodyKey, default: 0] >= maxFaultsPerBody { return false }
                faults[bodyKey, default: 0] += 1
                return true
            }
            if !allowed { fault = .pass }
            count(fault)
        }
        switch fault {
        case .pass:
            return await forward(head: head, body: body)
        case .error400(let code):
            let json = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#\(code)\",\"message\":\"injected \(code)\"}"
            return response(status: 400, json: json, extra: [("x-amzn-RequestId", "INJECTED-\(code)")])
        case .status(let status):
            return response(status: status, json: "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"injected \(status)\"}")
        case .dropBeforeForward:
            return nil
        case .dropAfterForward:
            _ = await forward(head: head, body: body)
            return nil
        case .partial:
            guard let json = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
                let requestItems = json["RequestItems"] as? [String: [Any]], let (table, requests) = requestItems.first,
                requests.count >= 2
            else {
                return await forward(head: head, body: body)
            }
            let half = requests.count / 2
            var forwarded = json
            forwarded["RequestItems"] = [table: Array(requests[..<half])]
            guard let forwardedBody = try? JSONSerialization.data(withJSONObject: forwarded),
                let upstreamResponse = await forward(head: head, body: ByteBuffer(bytes: forwardedBody)),
                upstreamResponse.0.status == .ok,
                let unprocessed = try? JSONSerialization.data(withJSONObject: ["UnprocessedItems": [table: Array(requests[half...])]])
            else {
                return response(status: 500, json: "{\"message\":\"proxy could not split the batch\"}")
            }
            return response(status: 200, json: String(decoding: unprocessed, as: UTF8.self))
        }
    }

    private func response(status: Int, json: String, extra: [(String, String)] = []) -> (HTTPResponseHead, ByteBuffer) {
        var headers = HTTPHeaders([("content-type", "application/x-amz-json-1.0"), ("content-length", String(json.utf8.count))])
        for (name, value) in extra { headers.add(name: name, value: value) }
        return (HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers), ByteBuffer(string: json))
    }

    private func forward(head: HTTPRequestHead, body: ByteBuffer) async -> (HTTPResponseHead, ByteBuffer)? {
        var request = HTTPClientRequest(url: upstream + head.uri)
        request.method = head.method
        for (name, value) in head.headers where !["content-length", "connection", "transfer-encoding"].contains(name.lowercased()) {
            request.headers.add(name: name, value: value)
        }
        request.body = .bytes(body)
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            let responseBody = try await response.body.collect(upTo: 64 << 20)
            var headers = HTTPHeaders()
            for (name, value) in response.headers where !["content-length", "connection", "transfer-encoding"].contains(name.lowercased()) {
                headers.add(name: name, value: value)
            }
            headers.add(name: "content-length", value: String(responseBody.readableBytes))
            return (HTTPResponseHead(version: .http1_1, status: response.status, headers: headers), responseBody)
        } catch {
            return nil
        }
    }
}

/// Collects one request at a time and answers it through the proxy.
private final class ProxyHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let proxy: FaultProxy
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(proxy: FaultProxy) {
        self.proxy = proxy
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            guard let requestHead = head else { return }
            head = nil
            let requestBody = body
            let channel = context.channel
            let proxy = self.proxy
            Task {
                guard let (responseHead, responseBody) = await proxy.handle(head: requestHead, body: requestBody) else {
                    try? await channel.close()
                    return
                }
                channel.write(HTTPServerResponsePart.head(responseHead), promise: nil)
                channel.write(HTTPServerResponsePart.body(.byteBuffer(responseBody)), promise: nil)
                channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
            }
        }
    }
}
