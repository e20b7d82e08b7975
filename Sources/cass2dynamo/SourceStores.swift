import AWS
import S3Source

/// Sources given as `s3://BUCKET/PATH`: the locator that reads SSTables in S3 is registered
/// with the region and endpoint the command was given (else AWS_REGION, AWS_ENDPOINT_URL*, the
/// profile), its client made at the first URL.
enum SourceStores {
    static func prepare(_ sources: [String], region: String?, endpointURL: String?) {
        guard sources.contains(where: { $0.hasPrefix("s3://") }) else { return }
        S3SSTableLocator { try S3Client(resolver: AWSConfigurationResolver(), region: region, endpointURL: endpointURL) }.register()
    }
}
