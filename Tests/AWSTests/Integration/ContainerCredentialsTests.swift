import AWS
import Foundation
import Synchronization
import TestSupport
import Testing

/// Container credentials (ECS, Batch, EKS Pod Identity) from an endpoint on loopback run by the test.
@Suite(.enabled(if: which("python3") != nil || TestPaths.isCI, "python3 missing"))
struct ContainerCredentialsTests {
    @Test func authorizationTokenFileIsSentAndReReadAtEveryRefresh() async throws {
        let folder = TempDir("container-credentials")
        let tokenFile = folder.path + "/token"
        try "tokenA\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        try await CredentialsEndpoint.with(expectedTokenFile: tokenFile) { endpoint in
            let resolver = AWSConfigurationResolver(environment: AWSEnvironment(variables: [
                "HOME": folder.path, "AWS_CONTAINER_CREDENTIALS_FULL_URI": endpoint.url + "/v1/credentials",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
            ]))
            let first = try await resolver.credentialProvider().credentials()
            #expect(first.accessKeyID == "ASIACONTAINER1" && first.sessionToken == "containerSessionToken")
            #expect(first.expiration != nil)

            let clock = Mutex(AmzDate.now().epochSeconds)
            let source = try ContainerCredentialSource(url: endpoint.url + "/v1/credentials", authorizationTokenFile: tokenFile)
            let provider = source.provider { AmzDate(epochSeconds: clock.withLock { $0 }) }
            #expect(try await provider.credentials().accessKeyID == "ASIACONTAINER2")
            try "tokenB".write(toFile: tokenFile, atomically: true, encoding: .utf8)
            #expect(try await provider.credentials().accessKeyID == "ASIACONTAINER2")
            clock.withLock { $0 += 3600 - 299 }
            #expect(try await provider.credentials().accessKeyID == "ASIACONTAINER3")
            #expect(endpoint.requests == ["GET /v1/credentials auth=tokenA", "GET /v1/credentials auth=tokenA",
                                          "GET /v1/credentials auth=tokenB"])
        }
    }

    @Test func endpointErrorsAreOneLineWithoutTheToken() async throws {
        let folder = TempDir("container-credentials")
        let tokenFile = folder.path + "/token"
        try "rightToken".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        try await CredentialsEndpoint.with(expectedTokenFile: tokenFile) { endpoint in
            let wrong = try ContainerCredentialSource(url: endpoint.url + "/creds", authorizationToken: "wrongTokenValue")
            let refused = try await #require(throws: AWSConfigurationError.self) { try await wrong.fetch() }
            #expect(refused.message == "the container credentials endpoint \(endpoint.url)/creds answered HTTP 401: "
                + #"{"message": "the authorization token is wrong"}"#)

            let failing = try ContainerCredentialSource(url: endpoint.url + "/fail", authorizationToken: "wrongTokenValue")
            let failed = try await #require(throws: AWSConfigurationError.self) { try await failing.fetch() }
            #expect(failed.message == "the container credentials endpoint \(endpoint.url)/fail answered HTTP 500: internal trouble second line")

            // Through a client: the request fails with an AWSError of kind credentials, naming the endpoint.
            let client = DynamoDBClient(credentials: wrong.provider(), region: "us-east-1", endpoint: AWSEndpoint(url: "http://127.0.0.1:1")!)
            let error = try await #require(throws: AWSError.self) { try await client.listTables() }
            try await client.shutdown()
            #expect(error.kind == .credentials)
            #expect(error.description.contains("answered HTTP 401"))
            for text in [refused.message, failed.message, error.description] {
                #expect(!text.contains("wrongTokenValue") && !text.contains("\n"))
            }
        }
    }

    @Test func aPlainHTTPURIToAnotherHostIsRefused() throws {
        let resolver = AWSConfigurationResolver(environment: AWSEnvironment(variables: [
            "HOME": "/nowhere", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://10.0.0.8:8080/creds",
        ]) { _ in nil })
        let error = try #require(throws: AWSConfigurationError.self) { try resolver.credentialProvider() }
        #expect(error.message.hasPrefix("the container credentials URL http://10.0.0.8:8080/creds must use https"))
    }
}
