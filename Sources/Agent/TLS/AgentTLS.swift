import NIOSSL

/// TLS configurations of the agent (server) and of its controllers (clients).
public enum AgentTLS {
    /// The server side: the certificate chain and key; with `clientCA`, mutual TLS (a client
    /// without a certificate issued by that CA fails the handshake).
    public static func server(certificate: String, privateKey: String, clientCA: String?) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do { chain = try NIOSSLCertificate.fromPEMFile(certificate) } catch { throw AgentError("cannot load certificate \(certificate): \(error)") }
        do { key = try NIOSSLPrivateKey(file: privateKey, format: .pem) } catch { throw AgentError("cannot load private key \(privateKey): \(error)") }
        var config = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        config.minimumTLSVersion = .tlsv12
        if let clientCA {
            do {
                config.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCA))
            } catch { throw AgentError("cannot load client CA \(clientCA): \(error)") }
            config.certificateVerification = .noHostnameVerification
        }
        return config
    }

    /// The client side: trust `ca` (else the system roots) and present `certificate`/`privateKey` when given.
    public static func client(ca: String?, certificate: String?, privateKey: String?) throws -> TLSConfiguration {
        var config = TLSConfiguration.makeClientConfiguration()
        config.minimumTLSVersion = .tlsv12
        if let ca {
            do { config.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca)) } catch { throw AgentError("cannot load CA \(ca): \(error)") }
        }
        if let certificate, let privateKey {
            do {
                config.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
                config.privateKey = .privateKey(try NIOSSLPrivateKey(file: privateKey, format: .pem))
            } catch { throw AgentError("cannot load client certificate \(certificate): \(error)") }
        }
        return config
    }
}
