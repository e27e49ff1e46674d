import Foundation
import Testing

@testable import PipelineCore

@Suite struct AWSErrorParserTests {
    @Test func s3XMLErrorGivesCodeMessageAndRequestID() {
        let body = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>\
            <Key>a &amp; b.jpg</Key><RequestId>4442587FB7D0A2F9</RequestId></Error>
            """
        let error = AWSErrorParser.error(
            service: .s3, operation: "GetObject", status: 404, headers: [], body: Data(body.utf8))
        #expect(error.code == "NoSuchKey")
        #expect(error.message == "The specified key does not exist.")
        #expect(error.requestID == "4442587FB7D0A2F9")
        #expect(error.status == 404)
        #expect(!error.isRetryable)
        #expect(
            "\(error)"
                == "S3 GetObject failed: NoSuchKey (HTTP 404): The specified key does not exist. "
                + "[request id 4442587FB7D0A2F9]")
    }

    @Test func jsonTypeWithNamespaceIsShortened() {
        let body = #"{"__type":"com.amazonaws.ssm#ParameterNotFound","message":"Parameter /x not found."}"#
        let error = AWSErrorParser.error(
            service: .ssm, operation: "GetParameter", status: 400,
            headers: [("x-amzn-RequestId", "c0ffee00-0000-0000-0000-000000000000")], body: Data(body.utf8))
        #expect(error.code == "ParameterNotFound")
        #expect(error.message == "Parameter /x not found.")
        #expect(error.requestID == "c0ffee00-0000-0000-0000-000000000000")
    }

    @Test func errorTypeHeaderAndBodilessAnswers() {
        let throttled = AWSErrorParser.error(
            service: .eventBridge, operation: "PutEvents", status: 400,
            headers: [("X-Amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/")], body: Data())
        #expect(throttled.code == "ThrottlingException")
        #expect(throttled.isRetryable)
        let head = AWSErrorParser.error(
            service: .s3, operation: "HeadObject", status: 404, headers: [("x-amz-request-id", "R1")], body: Data())
        #expect(head.code == "NotFound")
        #expect(head.requestID == "R1")
        let unavailable = AWSErrorParser.error(
            service: .s3, operation: "PutObject", status: 503, headers: [], body: Data("not xml".utf8))
        #expect(unavailable.code == "ServiceUnavailable")
        #expect(unavailable.isRetryable)
    }

    @Test func xmlEntitiesAndUTF8TextAreDecodedWhole() {
        // expat hands character data over in pieces (at entities and buffer ends); they join up.
        let body = """
            <Error><Code>InvalidArgument</Code><Message>Key &quot;caf\u{E9}/\u{1F4F7} &lt;1&gt;&#x41;\
            &amp;&#66;&quot; is odd</Message><RequestId>R2</RequestId></Error>
            """
        let error = AWSErrorParser.error(
            service: .s3, operation: "PutObject", status: 400, headers: [], body: Data(body.utf8))
        #expect(error.code == "InvalidArgument")
        #expect(error.message == "Key \"caf\u{E9}/\u{1F4F7} <1>A&B\" is odd")
        #expect(error.requestID == "R2")
    }

    @Test func malformedOrExplosiveXMLFallsBackToTheStatus() {
        let truncated = Data("<Error><Code>SlowDown</Code><Message>Reduce your".utf8)
        let cut = AWSErrorParser.error(service: .s3, operation: "GetObject", status: 503, headers: [], body: truncated)
        #expect(cut.code == "ServiceUnavailable")
        // Entity expansion ("billion laughs"): expat refuses it instead of expanding 10^9 copies.
        var bomb = "<?xml version=\"1.0\"?><!DOCTYPE Error [<!ENTITY a0 \"lol\">"
        for level in 1...9 {
            bomb += "<!ENTITY a\(level) \"" + String(repeating: "&a\(level - 1);", count: 10) + "\">"
        }
        bomb += "]><Error><Code>&a9;</Code></Error>"
        let exploded = AWSErrorParser.error(
            service: .s3, operation: "GetObject", status: 500, headers: [], body: Data(bomb.utf8))
        #expect(exploded.code == "HTTP500")
    }
}
