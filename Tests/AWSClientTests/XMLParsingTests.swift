import Foundation
import Testing

@testable import AWSClient

/// `XMLNode.parse` reads AWS answers with its own parser and leaves everything else to
/// `XMLParser`: both must build the same trees and reject the same documents.
struct XMLParsingTests {
    func fast(_ text: String) -> XMLNode? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            var parser = FastXMLParser(buffer)
            return parser.document()
        }
    }

    func foundation(_ text: String) -> XMLNode? { try? XMLNode.parseWithFoundation(Data(text.utf8)) }

    static let documents: [String] = [
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <GetCallerIdentityResult>
            <Arn>arn:aws:iam::111111111111:user/auditor</Arn>
            <UserId>AIDAEXAMPLE</UserId>
            <Account>111111111111</Account>
          </GetCallerIdentityResult>
          <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
        </GetCallerIdentityResponse>
        """,
        """
        <DescribeSecurityGroupsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
            <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
            <securityGroupInfo>
                <item><groupId>sg-1</groupId><groupName>web &amp; api</groupName><tagSet/>
                    <ipPermissions><item><ipProtocol>tcp</ipProtocol><fromPort>22</fromPort>
                    <ipRanges><item><cidrIp>0.0.0.0/0</cidrIp><description>a &lt;b&gt; &quot;c&quot; &apos;d&apos; &#233;&#x20AC;</description></item></ipRanges>
                    </item></ipPermissions></item>
            </securityGroupInfo>
        </DescribeSecurityGroupsResponse>
        """,
        """
        <!-- leading comment --><Root a="1" b='two' xmlns:ex="urn:x"><ex:Child ex:attr="v">mixed <b>bold</b> text<!-- c --> end</ex:Child><![CDATA[<raw & text>]]><?pi data?><Empty></Empty><Self/></Root>
        """,
        "<a>  é€😀 </a>",
        "<?xml version=\"1.0\"?><ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>",
    ]

    static let leftToFoundation: [String] = [
        "<!DOCTYPE html><html><body>500 Internal Server Error</body></html>",
        "<a>\r\n</a>", "<a>&nbsp;</a>", "<a b=\"x&amp;y\"/>", "<a b=\"tab\there\"/>", "<a>&#0;</a>",
        "<a><b></a>", "<a>", "<a></b>", "not xml", "<a></a><b></b>", "<a>]]></a>", "<a b=\"1\" b=\"2\"/>", "",
        "\u{FEFF}<a/>", "<1a/>", "<a:/>", "<a\u{1}>x</a>",
    ]

    @Test func awsDocumentsParseAsXMLParserParsesThem() throws {
        for document in Self.documents {
            let reference = try #require(foundation(document), "XMLParser rejects \(document)")
            #expect(fast(document) == reference, "\(document)")
            #expect(try XMLNode.parse(Data(document.utf8)) == reference)
        }
        let root = try XMLNode.parse(Data(Self.documents[1].utf8))
        let permission = root.list("securityGroupInfo").first?.list("ipPermissions").first
        #expect(root.list("securityGroupInfo").first?.string("groupName") == "web & api")
        #expect(permission?.list("ipRanges").first?.string("description") == "a <b> \"c\" 'd' é€")
        let mixed = try XMLNode.parse(Data(Self.documents[2].utf8))
        #expect(mixed.text == "<raw & text>")
        #expect(mixed["Child"]?.text == "mixed  text end")
        #expect(mixed["Child"]?.attributes == ["ex:attr": "v"])
        #expect(mixed.attributes["xmlns:ex"] == "urn:x")
    }

    @Test func unusualDocumentsAreLeftToXMLParser() {
        for document in Self.leftToFoundation {
            #expect(fast(document) == nil, "the fast parser accepted \(document.debugDescription)")
            let parsed = try? XMLNode.parse(Data(document.utf8))
            #expect(parsed == foundation(document), "\(document.debugDescription)")
        }
    }
}
