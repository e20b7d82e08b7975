import Foundation

/// A container credentials endpoint on loopback, run by python3's http.server as a child process.
///
/// `GET` answers credentials valid for an hour (access key `ASIACONTAINER<n>`, n counting answers)
/// when the `Authorization` header equals the content of `expectedTokenFile`, else 401; `GET /fail`
/// answers 500 with a two-line body. `POST` answers an STS `InvalidIdentityToken` error. Every
/// request is printed as `<method> <path> auth=<header>`.
public struct CredentialsEndpoint: Sendable {
    public let port: Int
    let process: ChildProcess

    /// `http://127.0.0.1:<port>`.
    public var url: String { "http://127.0.0.1:\(port)" }
    /// The request lines printed so far.
    public var requests: [String] { process.output.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("ready") } }

    static let script = #"""
        import ctypes, datetime, http.server, json, sys
        ctypes.CDLL(None).prctl(1, 9)
        port, expected_file = int(sys.argv[1]), sys.argv[2]
        answers = 0
        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self, status, body, kind):
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def do_GET(self):
                global answers
                auth = self.headers.get("Authorization")
                print(f"GET {self.path} auth={auth}", flush=True)
                if self.path == "/fail":
                    return self.answer(500, b"internal trouble\nsecond line", "text/plain")
                if auth != open(expected_file).read().strip():
                    return self.answer(401, b'{"message": "the authorization token is wrong"}', "application/json")
                answers += 1
                expiration = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
                self.answer(200, json.dumps({"AccessKeyId": f"ASIACONTAINER{answers}", "SecretAccessKey": "containerSecret",
                    "Token": "containerSessionToken", "Expiration": expiration.strftime("%Y-%m-%dT%H:%M:%SZ")}).encode(),
                    "application/json")
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                print(f"POST {self.path} auth={self.headers.get('Authorization')}", flush=True)
                self.answer(400, b"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>"
                    b"<Message>Token is expired\nor revoked</Message></Error><RequestId>r1</RequestId></ErrorResponse>", "text/xml")
            def log_message(self, *args):
                pass
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        print("ready", flush=True)
        server.serve_forever()
        """#

    /// Starts the endpoint, runs `body`, and always stops the endpoint afterwards.
    public static func with<T: Sendable>(expectedTokenFile: String, _ body: (CredentialsEndpoint) async throws -> T) async throws -> T {
        guard let python = which("python3") else { throw TestFailure("python3 is not on PATH") }
        let port = try freePort()
        let endpoint = CredentialsEndpoint(
            port: port, process: try await ChildProcess(python, ["-c", script, String(port), expectedTokenFile], separateStderr: false))
        let result: Result<T, any Error>
        do {
            let deadline = Date().addingTimeInterval(30)
            while !endpoint.process.output.hasPrefix("ready") {
                if let status = endpoint.process.exitStatus { throw TestFailure("the credentials endpoint exited with \(status): \(endpoint.process.output)") }
                guard Date() < deadline else { throw TestFailure("the credentials endpoint did not start within 30 s") }
                try await Task.sleep(for: .milliseconds(50))
            }
            result = .success(try await body(endpoint))
        } catch {
            result = .failure(error)
        }
        endpoint.process.kill()
        await endpoint.process.wait()
        return try result.get()
    }
}
