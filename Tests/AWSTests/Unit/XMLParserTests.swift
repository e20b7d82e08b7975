@testable import AWS
import Testing

@Suite struct XMLParserTests {
    @Test func parsesS3Responses() throws {
        let text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><IsTruncated>true</IsTruncated>
              <Contents><Key>a&amp;b &lt;c&gt; &#233;&#x41;</Key><Size>12</Size><ETag>&quot;abc&quot;</ETag></Contents>
              <Contents><Key><![CDATA[x<y]]></Key><Size>0</Size></Contents>
              <NextContinuationToken>tok</NextContinuationToken><Empty/>
            </ListBucketResult>
            """
        let root = try MiniXMLParser.parse(Array(text.utf8))
        #expect(root.localName == "ListBucketResult")
        #expect(root.children("Contents").map { $0.text(of: "Key") } == ["a&b <c> éA", "x<y"])
        #expect(root.children("Contents").first?.text(of: "ETag") == "\"abc\"")
        #expect(root.text(of: "NextContinuationToken") == "tok")
        #expect(root.text(of: "Empty") == "")
    }

    @Test func findsNestedIAMErrors() throws {
        let text = "<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>m</Message></Error><RequestId>r-1</RequestId></ErrorResponse>"
        let root = try MiniXMLParser.parse(Array(text.utf8))
        #expect(root.find("Error")?.text(of: "Code") == "SignatureDoesNotMatch")
        #expect(root.find("RequestId")?.text == "r-1")
    }

    @Test(arguments: ["", "<a>", "<a></b>", "<a x=1/>", "text"])
    func rejectsMalformedXML(_ text: String) {
        #expect(throws: MiniXMLParser.SyntaxError.self) { try MiniXMLParser.parse(Array(text.utf8)) }
    }

    @Test func escapesText() {
        #expect(XMLEscape.escape("a&<>\"'b") == "a&amp;&lt;&gt;&quot;&apos;b")
    }
}
