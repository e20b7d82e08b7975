import AWS
import Testing

@Suite struct ConfigurationTests {
    static let credentialsFile = """
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = defaultSECRET
        [p2]
        aws_access_key_id=AKIDP2
        aws_secret_access_key=p2SECRET   ; comment
        aws_session_token = p2TOKEN
        """
    static let configFile = """
        # comment
        [default]
        region = ap-south-1
        endpoint_url = http://127.0.0.1:1111
        services = local
        [profile p2]
        region = us-west-2
        [profile cfgkeys]
        aws_access_key_id = AKIDCFG
        aws_secret_access_key = cfgSECRET
        [profile sso]
        sso_session = corp
        [services local]
        dynamodb =
          endpoint_url = http://127.0.0.1:2222
        """

    static func environment(_ variables: [String: String]) -> AWSEnvironment {
        var all = ["HOME": "/home/u"]
        for (key, value) in variables { all[key] = value }
        return AWSEnvironment(variables: all) { path in
            switch path {
            case "/home/u/.aws/credentials": credentialsFile
            case "/home/u/.aws/config": configFile
            case "/elsewhere/creds": "[default]\naws_access_key_id = AKIDELSE\naws_secret_access_key = elseSECRET\n"
            default: nil
            }
        }
    }

    /// The fixed credentials the resolver picks (fails when it picks a refreshing provider).
    static func fixed(_ resolver: AWSConfigurationResolver) throws -> AWSCredentials {
        try #require(try resolver.credentialProvider() as? AWSCredentials)
    }

    @Test func environmentCredentialsWinOverProfile() throws {
        let resolver = AWSConfigurationResolver(environment: Self.environment([
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "envSECRET", "AWS_SESSION_TOKEN": "envTOKEN", "AWS_PROFILE": "p2",
        ]))
        let credentials = try Self.fixed(resolver)
        #expect(credentials.accessKeyID == "AKIDENV")
        #expect(credentials.sessionToken == "envTOKEN")
        #expect(credentials.source == "environment")
        #expect(!credentials.description.contains("envSECRET") && !credentials.description.contains("envTOKEN"))
    }

    @Test func profilesFromSharedFiles() throws {
        let fallback = AWSConfigurationResolver(environment: Self.environment([:]))
        #expect(try Self.fixed(fallback).accessKeyID == "AKIDDEFAULT")
        #expect(try fallback.region() == "ap-south-1")

        let p2 = AWSConfigurationResolver(environment: Self.environment(["AWS_PROFILE": "p2"]))
        let credentials = try Self.fixed(p2)
        #expect(credentials.accessKeyID == "AKIDP2")
        #expect(credentials.secretAccessKey == "p2SECRET")
        #expect(credentials.sessionToken == "p2TOKEN")
        #expect(try p2.region() == "us-west-2")

        let cfg = AWSConfigurationResolver(environment: Self.environment([:]), profile: "cfgkeys")
        #expect(try Self.fixed(cfg).accessKeyID == "AKIDCFG")

        let elsewhere = AWSConfigurationResolver(environment: Self.environment(["AWS_SHARED_CREDENTIALS_FILE": "/elsewhere/creds"]))
        #expect(try Self.fixed(elsewhere).accessKeyID == "AKIDELSE")
    }

    @Test func missingOrUnsupportedProfilesFailWithoutSecrets() {
        let missing = AWSConfigurationResolver(environment: Self.environment(["AWS_PROFILE": "nope"]))
        #expect(throws: AWSConfigurationError.self) { try missing.credentialProvider() }
        let sso = AWSConfigurationResolver(environment: Self.environment([:]), profile: "sso")
        do {
            _ = try sso.credentialProvider()
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("sso_session"))
        }
        let partial = AWSConfigurationResolver(environment: Self.environment(["AWS_ACCESS_KEY_ID": "AKID"]))
        #expect(throws: AWSConfigurationError.self) { try partial.credentialProvider() }
        let none = AWSConfigurationResolver(environment: AWSEnvironment(variables: ["HOME": "/nowhere"]) { _ in nil })
        #expect(throws: AWSConfigurationError.self) { try none.credentialProvider() }
        #expect(throws: AWSConfigurationError.self) { try none.region() }
    }

    @Test func regionPrecedence() throws {
        let both = AWSConfigurationResolver(environment: Self.environment(["AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-central-1"]))
        #expect(try both.region() == "eu-west-1")
        #expect(try both.region(explicit: "sa-east-1") == "sa-east-1")
        let fallback = AWSConfigurationResolver(environment: Self.environment(["AWS_DEFAULT_REGION": "eu-central-1"]))
        #expect(try fallback.region() == "eu-central-1")
    }

    @Test func endpointPrecedence() throws {
        let files = AWSConfigurationResolver(environment: Self.environment([:]))
        #expect(try files.endpoint(for: .dynamodb, region: "x").description == "http://127.0.0.1:2222")
        #expect(try files.endpoint(for: .s3, region: "x").description == "http://127.0.0.1:1111")

        let env = AWSConfigurationResolver(environment: Self.environment([
            "AWS_ENDPOINT_URL": "http://localhost:3333", "AWS_ENDPOINT_URL_S3": "https://s3.local:4444/base/",
        ]))
        #expect(try env.endpoint(for: .dynamodb, region: "x").description == "http://localhost:3333")
        let s3 = try env.endpoint(for: .s3, region: "x")
        #expect(s3.host == "s3.local" && s3.port == 4444 && s3.basePath == "/base" && s3.isCustom)
        #expect(try env.endpoint(for: .s3, region: "x", explicit: "http://[::1]:9000").hostHeader == "[::1]:9000")

        let ignored = AWSConfigurationResolver(environment: Self.environment([
            "AWS_ENDPOINT_URL": "http://localhost:3333", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
        ]))
        let aws = try ignored.endpoint(for: .dynamodb, region: "eu-west-1")
        #expect(aws.description == "https://dynamodb.eu-west-1.amazonaws.com" && !aws.isCustom)
        #expect(AWSEndpoint(url: "ftp://x") == nil)
        #expect(AWSEndpoint(url: "http://host:99999") == nil)
    }
}
