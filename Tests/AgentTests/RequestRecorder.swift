import Foundation
import Synchronization
import TestSupport

/// A loopback TCP listener that records every byte sent to it and answers `500` at once: the
/// address a test offers the agent to prove that nothing (no signed request, no key id) reaches it.
final class RequestRecorder: Sendable {
    let port: Int
    private let received = Mutex(Data())
    private let stopped = Mutex(false)

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard fd >= 0, ok else { throw TestFailure("cannot listen on 127.0.0.1") }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread { [self] in
            while !stopped.withLock({ $0 }) {
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&p, 1, 100) > 0 else { continue }
                let conn = accept(fd, nil, nil)
                guard conn >= 0 else { continue }
                var buffer = [UInt8](repeating: 0, count: 65536)
                var c = pollfd(fd: conn, events: Int16(POLLIN), revents: 0)
                if poll(&c, 1, 2000) > 0 {
                    let n = read(conn, &buffer, buffer.count)
                    if n > 0 { received.withLock { $0.append(contentsOf: buffer[..<n]) } }
                }
                _ = "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".withCString { write(conn, $0, strlen($0)) }
                close(conn)
            }
            close(fd)
        }.start()
    }

    var url: String { "http://127.0.0.1:\(port)" }
    /// Everything received so far, as text.
    var text: String { String(decoding: received.withLock { $0 }, as: UTF8.self) }
    func stop() { stopped.withLock { $0 = true } }
}
