/// The `aws:` section of the settings: where dynamodb tasks send their requests. Tasks cannot
/// name an endpoint; they may pick a region only from `allowedRegions`. Credentials come from
/// the agent's environment, `profile` or instance role, never from a task.
public struct AWSSettings: Codable, Sendable, Equatable {
    /// Region of DynamoDB and S3; else the agent's environment and profile.
    public var region: String?
    /// Endpoint URL for DynamoDB and S3 (a local DynamoDB, a VPC endpoint); else the AWS endpoints.
    public var endpointURL: String?
    /// Profile of the shared AWS files to take credentials (and region) from.
    public var profile: String?
    /// Regions a task may choose with `target.region`; empty: tasks use `region`.
    public var allowedRegions: [String] = []

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case region, endpointURL = "endpoint_url", profile, allowedRegions = "allowed_regions"
    }

    public init(from decoder: any Decoder) throws {
        try checkKnownKeys(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        region = try c.decodeIfPresent(String.self, forKey: .region)
        endpointURL = try c.decodeIfPresent(String.self, forKey: .endpointURL)
        profile = try c.decodeIfPresent(String.self, forKey: .profile)
        allowedRegions = try c.decodeIfPresent([String].self, forKey: .allowedRegions) ?? []
    }
}
