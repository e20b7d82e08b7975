import Crypto
import Foundation
import SwiftASN1
import X509

/// A self-signed CA and the server and client certificates it issues (P-256, ECDSA-SHA256),
/// as PEM text: our replacement for the reference system's key store and trust store.
public struct GeneratedCertificates: Sendable {
    public var caPEM: String
    public var caKeyPEM: String
    public var serverPEM: String
    public var serverKeyPEM: String
    public var clientPEM: String
    public var clientKeyPEM: String

    /// Issues a CA, a server certificate valid for `hostnames` (DNS names or IP addresses) and
    /// a client certificate named `clientName`, valid for `days`.
    public static func generate(hostnames: [String], clientName: String = "cass2dynamo-controller", days: Int = 825) throws -> GeneratedCertificates {
        let now = Date()
        let notBefore = now.addingTimeInterval(-300)
        let notAfter = now.addingTimeInterval(Double(days) * 86400)

        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName {
            OrganizationName("cass2dynamo")
            CommonName("cass2dynamo agent CA")
        }
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter,
            issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: Certificate.PublicKey(caKey.publicKey))
            },
            issuerPrivateKey: .init(caKey))

        func leaf(_ name: String, server: Bool, key: P256.Signing.PrivateKey) throws -> Certificate {
            let subject = try DistinguishedName {
                OrganizationName("cass2dynamo")
                CommonName(name)
            }
            var names: [GeneralName] = []
            if server {
                for host in hostnames {
                    if let ip = ipBytes(host) { names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(ip)))) } else { names.append(.dnsName(host)) }
                }
            }
            let sans = names
            return try Certificate(
                version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
                notValidBefore: notBefore, notValidAfter: notAfter,
                issuer: caName, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true, keyAgreement: true))
                    try ExtendedKeyUsage([server ? .serverAuth : .clientAuth])
                    SubjectKeyIdentifier(hash: Certificate.PublicKey(key.publicKey))
                    AuthorityKeyIdentifier(keyIdentifier: try ca.extensions.subjectKeyIdentifier?.keyIdentifier)
                    if !sans.isEmpty { SubjectAlternativeNames(sans) }
                },
                issuerPrivateKey: .init(caKey))
        }
        let serverKey = P256.Signing.PrivateKey()
        let clientKey = P256.Signing.PrivateKey()
        let server = try leaf(hostnames.first ?? "localhost", server: true, key: serverKey)
        let client = try leaf(clientName, server: false, key: clientKey)
        return GeneratedCertificates(
            caPEM: try ca.serializeAsPEM().pemString + "\n", caKeyPEM: caKey.pemRepresentation + "\n",
            serverPEM: try server.serializeAsPEM().pemString + "\n", serverKeyPEM: serverKey.pemRepresentation + "\n",
            clientPEM: try client.serializeAsPEM().pemString + "\n", clientKeyPEM: clientKey.pemRepresentation + "\n")
    }

    /// The 4 or 16 bytes of an IPv4/IPv6 literal, or nil.
    static func ipBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
