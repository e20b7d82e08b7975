import AWS
import Testing

/// Which credential source the resolver picks, with an injected environment. Temporary credentials
/// are not fetched at resolution; a fetch that fails on purpose (no token file, a closed port)
/// tells which source was chosen.
@Suite struct CredentialResolutionTests {
    static let config = """
        [profile irsa]
        role_arn = arn:aws:iam::123456789012:role/profile-role
        web_identity_token_file = /var/run/profile-token
        [profile chained]
        role_arn = arn:aws:iam::123456789012:role/chained
        source_profile = base
        [profile roleonly]
        role_arn = arn:aws:iam::123456789012:role/alone
        [profile keys]
        aws_access_key_id = AKIDPROFILE
        aws_secret_access_key = profileSECRET
        """

    /// Nothing listens on port 1 of loopback: a container fetch fails at once, naming the endpoint.
    static let closedEndpoint = "http://127.0.0.1:1/creds"
    static let webIdentity = ["AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/env-token", "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/env-role"]
    static let container = ["AWS_CONTAINER_CREDENTIALS_FULL_URI": closedEndpoint, "AWS_CONTAINER_AUTHORIZATION_TOKEN": "containerTOKEN"]

    static func resolver(_ variables: [String: String], profile: String? = nil) -> AWSConfigurationResolver {
        var all = ["HOME": "/home/u", "AWS_REGION": "eu-west-1"]
        for (key, value) in variables { all[key] = value }
        return AWSConfigurationResolver(environment: AWSEnvironment(variables: all) { path in
            path == "/home/u/.aws/config" ? config : nil
        }, profile: profile)
    }

    /// The message of the error the chosen provider's first fetch throws.
    static func fetchError(_ resolver: AWSConfigurationResolver) async throws -> String {
        let provider = try resolver.credentialProvider()
        #expect(provider is RefreshingCredentialProvider)
        let error = try await #require(throws: AWSConfigurationError.self) { try await provider.credentials() }
        return error.message
    }

    @Test func environmentKeysComeFirst() throws {
        var variables = Self.webIdentity.merging(Self.container) { $1 }
        variables["AWS_ACCESS_KEY_ID"] = "AKIDENV"
        variables["AWS_SECRET_ACCESS_KEY"] = "envSECRET"
        let credentials = try #require(try Self.resolver(variables, profile: "keys").credentialProvider() as? AWSCredentials)
        #expect(credentials.accessKeyID == "AKIDENV")
    }

    @Test func webIdentityFromTheEnvironmentComesBeforeTheProfileAndContainer() async throws {
        let message = try await Self.fetchError(Self.resolver(Self.webIdentity.merging(Self.container) { $1 }, profile: "keys"))
        #expect(message == "the web identity token file /var/run/env-token cannot be read or is empty")
    }

    @Test func profileComesBeforeContainer() async throws {
        let keys = try #require(try Self.resolver(Self.container, profile: "keys").credentialProvider() as? AWSCredentials)
        #expect(keys.accessKeyID == "AKIDPROFILE")
        let message = try await Self.fetchError(Self.resolver(Self.container, profile: "irsa"))
        #expect(message.contains("/var/run/profile-token"))
    }

    @Test func containerCredentialsWhenNothingElseIsSet() async throws {
        let message = try await Self.fetchError(Self.resolver(Self.container))
        #expect(message == "the container credentials endpoint \(Self.closedEndpoint) failed: connection refused")
        #expect(!message.contains("containerTOKEN"))
    }

    @Test func relativeURIGoesToTheECSHost() throws {
        let provider = try Self.resolver(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc"]).credentialProvider()
        #expect(provider is RefreshingCredentialProvider)
        let source = try ContainerCredentialSource(url: ContainerCredentialSource.relativeBase + "/v2/credentials/abc")
        #expect(source.url == "http://169.254.170.2/v2/credentials/abc")
    }

    @Test func fullURIMustBeHTTPSOrLocal() throws {
        for allowed in ["https://creds.example.com/x", "http://127.0.0.1:8080/x", "http://localhost/x", "http://[::1]:9/x",
                        "http://169.254.170.2/x", "http://169.254.170.23/v1/credentials", "http://[fd00:ec2::23]/v1/credentials"] {
            #expect(throws: Never.self) { try ContainerCredentialSource(url: allowed) }
        }
        let error = try #require(throws: AWSConfigurationError.self) {
            try Self.resolver(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://example.com/creds"]).credentialProvider()
        }
        #expect(error.message == "the container credentials URL http://example.com/creds must use https or a loopback host, "
            + "169.254.170.2, 169.254.170.23 or fd00:ec2::23")
        #expect(throws: AWSConfigurationError.self) { try ContainerCredentialSource(url: "http://128.0.0.1/x") }
    }

    @Test func unsupportedOrIncompleteSettingsAreRefused() throws {
        let chained = try #require(throws: AWSConfigurationError.self) { try Self.resolver([:], profile: "chained").credentialProvider() }
        #expect(chained.message.hasPrefix("profile chained uses source_profile, which is not supported"))
        let alone = try #require(throws: AWSConfigurationError.self) { try Self.resolver([:], profile: "roleonly").credentialProvider() }
        #expect(alone.message == "profile roleonly has role_arn without web_identity_token_file, which is not supported")
        let noRole = try #require(throws: AWSConfigurationError.self) {
            try Self.resolver(["AWS_WEB_IDENTITY_TOKEN_FILE": "/t"]).credentialProvider()
        }
        #expect(noRole.message == "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not")
        let none = try #require(throws: AWSConfigurationError.self) { try Self.resolver([:]).credentialProvider() }
        #expect(none.message.contains("AWS_WEB_IDENTITY_TOKEN_FILE") && none.message.contains("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"))
    }

    @Test func stsEndpointPrecedence() throws {
        #expect(try Self.resolver([:]).endpoint(for: .sts, region: "eu-west-1").description == "https://sts.eu-west-1.amazonaws.com")
        let both = Self.resolver(["AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:6000"])
        #expect(try both.endpoint(for: .sts, region: "x").description == "http://127.0.0.1:6000")
        #expect(try Self.resolver(["AWS_ENDPOINT_URL": "http://127.0.0.1:5000"]).endpoint(for: .sts, region: "x").port == 5000)
    }

    @Test func iso8601Expirations() {
        #expect(AmzDate(iso8601: "2026-12-07T07:24:55Z")?.amzString == "20261207T072455Z")
        #expect(AmzDate(iso8601: "2026-12-07T07:24:55.806552Z")?.amzString == "20261207T072455Z")
        #expect(AmzDate(iso8601: "2026-12-07T07:24:55+00:00")?.amzString == "20261207T072455Z")
        #expect(AmzDate(iso8601: "2026-12-07 07:24:55Z") == nil)
        #expect(AmzDate(iso8601: "2026-12-07T07:24:55") == nil)
    }
}
