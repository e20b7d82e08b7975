/// Resolves credentials, region and endpoints the way the AWS CLI and SDKs do, from an injectable
/// ``AWSEnvironment``.
///
/// Credentials: see ``credentialProvider(region:)``; the profile is `AWS_PROFILE`, else `default`.
/// Region: explicit > `AWS_REGION` > `AWS_DEFAULT_REGION` > profile `region`.
/// Endpoint: explicit > `AWS_ENDPOINT_URL_<SERVICE>` > `AWS_ENDPOINT_URL` > `[services X]` section >
/// profile `endpoint_url`; all but the explicit one are ignored when
/// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`.
public struct AWSConfigurationResolver: Sendable {
    /// Where variables and files are read from.
    public var environment: AWSEnvironment
    /// The profile in use.
    public let profile: String
    private let profileWasChosen: Bool
    private let credentialsFile: INIFile?
    private let configFile: INIFile?
    private let credentialsPath: String
    private let configPath: String

    /// Reads the shared files once. `profile` (e.g. from `--profile`) overrides `AWS_PROFILE`.
    public init(environment: AWSEnvironment = .process, profile: String? = nil) {
        self.environment = environment
        let chosen = profile ?? environment["AWS_PROFILE"] ?? environment["AWS_DEFAULT_PROFILE"]
        self.profile = chosen ?? "default"
        self.profileWasChosen = chosen != nil
        credentialsPath = environment.expandHome(environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials")
        configPath = environment.expandHome(environment["AWS_CONFIG_FILE"] ?? "~/.aws/config")
        credentialsFile = environment.readFile(credentialsPath).map(INIFile.init(parsing:))
        configFile = environment.readFile(configPath).map(INIFile.init(parsing:))
    }

    /// The profile's settings from the config file (`[default]` or `[profile NAME]`).
    var configProfile: [String: String]? {
        guard let configFile else { return nil }
        if profile == "default" {
            return configFile.sections["default"] ?? configFile.sections["profile default"]
        }
        return configFile.sections["profile \(profile)"]
    }

    /// Where the credentials to sign with come from, in the AWS SDKs' order:
    /// 1. `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`;
    /// 2. web identity: `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (+ `AWS_ROLE_SESSION_NAME`);
    /// 3. the profile: static keys in the credentials or config file, or `role_arn` + `web_identity_token_file`;
    /// 4. container credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `AWS_CONTAINER_CREDENTIALS_FULL_URI`.
    ///
    /// Nothing is fetched here: temporary credentials are fetched at the first request. `region`
    /// chooses the STS endpoint (default: the resolved region, else `us-east-1`).
    public func credentialProvider(region: String? = nil) throws(AWSConfigurationError) -> any AWSCredentialProvider {
        if let key = environment["AWS_ACCESS_KEY_ID"] {
            guard let secret = environment["AWS_SECRET_ACCESS_KEY"] else {
                throw AWSConfigurationError("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
            }
            let token = environment["AWS_SESSION_TOKEN"] ?? environment["AWS_SECURITY_TOKEN"]
            return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token, source: "environment")
        }
        if let tokenFile = environment["AWS_WEB_IDENTITY_TOKEN_FILE"] {
            guard let role = environment["AWS_ROLE_ARN"] else {
                throw AWSConfigurationError("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not")
            }
            return try webIdentity(role: role, tokenFile: tokenFile, sessionName: environment["AWS_ROLE_SESSION_NAME"], region: region)
        }
        if let section = credentialsFile?.sections[profile],
            let found = try Self.staticKeys(section, source: "profile \(profile) in \(credentialsPath)")
        {
            return found
        }
        if let section = configProfile {
            if let found = try Self.staticKeys(section, source: "profile \(profile) in \(configPath)") {
                return found
            }
            for unsupported in ["source_profile", "credential_source", "sso_session", "sso_start_url", "credential_process"]
            where section[unsupported] != nil {
                throw AWSConfigurationError(
                    "profile \(profile) uses \(unsupported), which is not supported; export static keys (e.g. `aws configure export-credentials --format env`)")
            }
            switch (section["role_arn"], section["web_identity_token_file"]) {
            case (let role?, let tokenFile?):
                return try webIdentity(role: role, tokenFile: environment.expandHome(tokenFile), sessionName: section["role_session_name"],
                                       region: region)
            case (.some, nil):
                throw AWSConfigurationError("profile \(profile) has role_arn without web_identity_token_file, which is not supported")
            case (nil, .some):
                throw AWSConfigurationError("profile \(profile) has web_identity_token_file without role_arn")
            case (nil, nil):
                break
            }
        }
        if profileWasChosen, credentialsFile?.sections[profile] == nil, configProfile == nil {
            throw AWSConfigurationError("the config profile (\(profile)) could not be found in \(credentialsPath) or \(configPath)")
        }
        if let container = try containerCredentials() {
            return container.provider()
        }
        throw AWSConfigurationError(
            "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN, "
                + "or AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI, or add profile \(profile) to \(credentialsPath)")
    }

    private func webIdentity(role: String, tokenFile: String, sessionName: String?, region: String?) throws(AWSConfigurationError)
        -> RefreshingCredentialProvider
    {
        let stsRegion = region ?? (try? self.region()) ?? "us-east-1"
        let source = WebIdentityCredentialSource(
            roleARN: role, sessionName: sessionName ?? "cass2dynamo-\(AmzDate.now().epochSeconds)", tokenFile: tokenFile,
            endpoint: try endpoint(for: .sts, region: stsRegion), readFile: environment.readFile)
        return source.provider()
    }

    /// The container credentials endpoint from the environment, if one is set.
    private func containerCredentials() throws(AWSConfigurationError) -> ContainerCredentialSource? {
        let url: String
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] {
            url = ContainerCredentialSource.relativeBase + (relative.hasPrefix("/") ? "" : "/") + relative
        } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] {
            url = full
        } else {
            return nil
        }
        return try ContainerCredentialSource(
            url: url, authorizationTokenFile: environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"],
            authorizationToken: environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"], readFile: environment.readFile)
    }

    private static func staticKeys(_ section: [String: String], source: String) throws(AWSConfigurationError) -> AWSCredentials? {
        let key = section["aws_access_key_id"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = section["aws_secret_access_key"].flatMap { $0.isEmpty ? nil : $0 }
        switch (key, secret) {
        case (nil, nil):
            return nil
        case (let key?, let secret?):
            let token = section["aws_session_token"] ?? section["aws_security_token"]
            return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token?.isEmpty == true ? nil : token, source: source)
        default:
            throw AWSConfigurationError("\(source) has only one of aws_access_key_id and aws_secret_access_key")
        }
    }

    /// The region: `explicit`, then `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`.
    public func region(explicit: String? = nil) throws(AWSConfigurationError) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let region = environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] { return region }
        if let region = configProfile?["region"], !region.isEmpty { return region }
        throw AWSConfigurationError("no AWS region: pass --region, set AWS_REGION, or set region in profile \(profile)")
    }

    /// The endpoint for `service`: a configured one, or the AWS endpoint of `region`.
    public func endpoint(for service: AWSService, region: String, explicit: String? = nil) throws(AWSConfigurationError) -> AWSEndpoint {
        if let url = try configuredEndpointURL(for: service, explicit: explicit) {
            guard let endpoint = AWSEndpoint(url: url) else {
                throw AWSConfigurationError("invalid endpoint URL for \(service.rawValue): \(url)")
            }
            return endpoint
        }
        return AWSEndpoint.aws(service: service, region: region)
    }

    /// The configured endpoint URL text for `service`, if any, following the precedence above.
    func configuredEndpointURL(for service: AWSService, explicit: String?) throws(AWSConfigurationError) -> String? {
        if let explicit, !explicit.isEmpty { return explicit }
        let ignore = environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] ?? configProfile?["ignore_configured_endpoint_urls"]
        if ignore?.lowercased() == "true" { return nil }
        if let url = environment["AWS_ENDPOINT_URL_\(service.environmentID)"] ?? environment["AWS_ENDPOINT_URL"] {
            return url
        }
        if let servicesName = configProfile?["services"], let services = configFile?.sections["services \(servicesName)"],
            let url = services["\(service.rawValue).endpoint_url"], !url.isEmpty
        {
            return url
        }
        if let url = configProfile?["endpoint_url"], !url.isEmpty { return url }
        return nil
    }
}
