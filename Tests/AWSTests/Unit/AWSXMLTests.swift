@testable import AWS
import Testing

@Suite struct AWSXMLTests {
    @Test func readsAListingAsS3SendsIt() throws {
        let text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><IsTruncated>true</IsTruncated>
              <Contents><Key>a&amp;b &lt;c&gt; &#233;&#x41;</Key><Size>12</Size><ETag>&quot;abc&quot;</ETag></Contents>
              <Contents><Key><![CDATA[x<y]]></Key><Size>0</Size></Contents>
              <Contents><Key> spaced </Key><Size>1</Size></Contents>
              <NextContinuationToken>tok</NextContinuationToken><Empty/>
            </ListBucketResult>
            """
        let result = try AWSXML.decode(S3XML.ListBucketResult.self, from: Array(text.utf8))
        #expect(result.contents?.map(\.key) == ["a&b <c> éA", "x<y", " spaced "])
        #expect(result.contents?.map(\.size) == [12, 0, 1])
        #expect(result.contents?.first?.eTag == "\"abc\"")
        #expect(result.isTruncated == true)
        #expect(result.nextContinuationToken == "tok")
        #expect((result.commonPrefixes ?? []).isEmpty)
    }

    @Test func readsOneRepeatedElementAsAList() throws {
        let text = "<ListPartsResult><Part><PartNumber>3</PartNumber><ETag>\"e\"</ETag><Size>5</Size></Part><IsTruncated>false</IsTruncated></ListPartsResult>"
        let result = try AWSXML.decode(S3XML.ListPartsResult.self, from: Array(text.utf8))
        #expect(result.part?.map(\.partNumber) == [3])
        #expect(result.part?.first?.eTag == "\"e\"")
        #expect(result.isTruncated == false)
    }

    @Test func readsS3AndNestedErrors() throws {
        let s3 = try AWSXML.decode(AWSXML.ErrorBody.self, from: Array(
            "<Error><Code>NoSuchKey</Code><Message>The key does not exist.</Message><RequestId>r-0</RequestId></Error>".utf8))
        #expect(s3.innermost?.code == "NoSuchKey" && s3.innermost?.message == "The key does not exist." && s3.anyRequestID == "r-0")
        let nested = try AWSXML.decode(AWSXML.ErrorBody.self, from: Array(
            "<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>m</Message></Error><RequestId>r-1</RequestId></ErrorResponse>".utf8))
        #expect(nested.innermost?.code == "SignatureDoesNotMatch" && nested.innermost?.message == "m" && nested.anyRequestID == "r-1")
        let listed = try AWSXML.decode(AWSXML.ErrorBody.self, from: Array(
            "<ErrorResponse>\n  <Errors>\n    <Error><Code>InvalidClientTokenId</Code><Message><![CDATA[bad <key>]]></Message></Error>\n  </Errors>\n  <RequestID>r-2</RequestID>\n</ErrorResponse>".utf8))
        #expect(listed.innermost?.code == "InvalidClientTokenId" && listed.innermost?.message == "bad <key>" && listed.anyRequestID == "r-2")
        let success = try AWSXML.decode(AWSXML.ErrorBody.self, from: Array(
            "<CompleteMultipartUploadResult><Bucket>b</Bucket><ETag>\"x-2\"</ETag></CompleteMultipartUploadResult>".utf8))
        #expect(success.innermost == nil)
    }

    @Test(arguments: ["", "<a>", "<a></b>", "<a x=1/>", "text"])
    func rejectsMalformedXML(_ text: String) {
        #expect(throws: (any Error).self) { try AWSXML.decode(AWSXML.ErrorBody.self, from: Array(text.utf8)) }
    }

    @Test func writesRequestBodiesEscaped() throws {
        let delete = S3XML.Delete(object: [.init(key: "a&<>\"'b"), .init(key: "c\rd")])
        #expect(try AWSXML.encode(delete, root: "Delete", xmlns: S3XML.namespace)
            == "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>false</Quiet>"
            + "<Object><Key>a&amp;&lt;&gt;&quot;&apos;b</Key></Object><Object><Key>c&#13;d</Key></Object></Delete>")
        let complete = S3XML.CompleteMultipartUpload(part: [.init(partNumber: 1, eTag: "\"e1\"")])
        #expect(try AWSXML.encode(complete, root: "CompleteMultipartUpload", xmlns: S3XML.namespace)
            == "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            + "<Part><PartNumber>1</PartNumber><ETag>&quot;e1&quot;</ETag></Part></CompleteMultipartUpload>")
    }
}
