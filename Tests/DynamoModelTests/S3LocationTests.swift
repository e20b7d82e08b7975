import DynamoModel
import Testing

@Suite struct S3LocationTests {
    @Test(arguments: [
        ("s3://bucket", "bucket", ""),
        ("s3://bucket/", "bucket", ""),
        ("s3://my.bucket-1/a/b/", "my.bucket-1", "a/b"),
        ("s3://bucket//a//b", "bucket", "a/b"),
    ])
    func parsesBucketAndPrefix(_ url: String, _ bucket: String, _ prefix: String) throws {
        let location = try S3Location(url: url)
        #expect(location.bucket == bucket)
        #expect(location.prefix == prefix)
    }

    @Test(arguments: [
        ("bucket/prefix", "bucket/prefix: expected s3://BUCKET/PREFIX"),
        ("https://bucket/prefix", "https://bucket/prefix: expected s3://BUCKET/PREFIX"),
        ("s3://", "s3://: no bucket name"),
        ("s3:///prefix", "s3:///prefix: no bucket name"),
        ("s3://Bucket/p", "s3://Bucket/p: the bucket name 'Bucket' is invalid: S3 bucket names are 3 to 63 lowercase letters, "
            + "digits, dots (.) and hyphens (-), start and end with a letter or digit, have no two dots in a row and are not an IP address"),
    ])
    func rejectsWhatIsNotALocation(_ url: String, _ message: String) {
        #expect(throws: S3LocationError.self) { try S3Location(url: url) }
        do { _ = try S3Location(url: url) } catch { #expect(error.description == message) }
    }

    @Test func namesObjectsUnderItsPrefix() throws {
        let location = try S3Location(url: "s3://stage/runs/1/")
        #expect(location.path("t/part-1.json.gz") == "runs/1/t/part-1.json.gz")
        #expect(location.url(ofKey: location.path("m.json")) == "s3://stage/runs/1/m.json")
        #expect(location.description == "s3://stage/runs/1")
        #expect(S3Location(bucket: "stage", prefix: "").path("m.json") == "m.json")
    }

    @Test(arguments: ["abc", "a.b-c", "192.168.5", "a" + String(repeating: "b", count: 62)])
    func acceptsBucketNames(_ name: String) {
        #expect(S3BucketName.isValid(name))
    }

    @Test(arguments: ["ab", "Abc", "abc-", ".abc", "a..b", "a_b", "192.168.5.4", String(repeating: "b", count: 64)])
    func rejectsBucketNames(_ name: String) {
        #expect(!S3BucketName.isValid(name))
    }
}
