import Foundation
import NIOSSL

/// TLS configurations of the agent (server) and of its controllers (clients).
public enum AgentTLS {
    /// The server side: the certificate chain and key; with `clientCA`, mutual TLS (a client
    /// without a certificate issued by that CA fails the handshake).
    public static func server(certificate: String, privateKey: String, clientCA: String?) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        chain = try certificates(certificate, "certificate")
        do { key = try NIOSSLPrivateKey(file: privateKey, format: .pem) } catch {
            throw AgentError("cannot load private key \(privateKey): \(problem(error, privateKey, expected: "a PEM private key"))")
        }
        var config = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        config.minimumTLSVersion = .tlsv12
        if let clientCA {
            config.trustRoots = .certificates(try certificates(clientCA, "client CA"))
            config.certificateVerification = .noHostnameVerification
        }
        return config
    }

    /// The client side: trust `ca` (else the system roots) and present `certificate`/`privateKey` when given.
    public static func client(ca: String?, certificate: String?, privateKey: String?) throws -> TLSConfiguration {
        var config = TLSConfiguration.makeClientConfiguration()
        config.minimumTLSVersion = .tlsv12
        if let ca {
            config.trustRoots = .certificates(try certificates(ca, "CA"))
        }
        if let certificate, let privateKey {
            config.certificateChain = try certificates(certificate, "client certificate").map { .certificate($0) }
            do { config.privateKey = .privateKey(try NIOSSLPrivateKey(file: privateKey, format: .pem)) } catch {
                throw AgentError("cannot load client private key \(privateKey): \(problem(error, privateKey, expected: "a PEM private key"))")
            }
        }
        return config
    }

    /// The PEM certificates of `path`; `what` names it in the error.
    private static func certificates(_ path: String, _ what: String) throws -> [NIOSSLCertificate] {
        do { return try NIOSSLCertificate.fromPEMFile(path) } catch {
            throw AgentError("cannot load \(what) \(path): \(problem(error, path, expected: "a PEM certificate"))")
        }
    }

    /// Why a PEM file did not load, in words (NIOSSL's errors are enum cases).
    private static func problem(_ error: any Error, _ path: String, expected: String) -> String {
        if !FileManager.default.fileExists(atPath: path) { return "no such file" }
        if !FileManager.default.isReadableFile(atPath: path) { return "the file is not readable (permissions)" }
        switch error as? NIOSSLError {
        case .failedToLoadCertificate, .failedToLoadPrivateKey, .noSuchFilesystemObject:
            return "the file does not hold \(expected) (-----BEGIN ...----- block)"
        default:
            return "the file does not hold \(expected) (\(error))"
        }
    }
}
