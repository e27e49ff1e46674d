import Foundation
import Testing

@testable import PipelineCore

/// Reading CloudFormation's DescribeStacks answers and its query-protocol errors.
@Suite struct DescribeStacksParsingTests {
    /// An answer shaped as the API reference's, with parameters and tags whose `member`s must not
    /// be taken for outputs, and an entity in a value.
    static let answer = """
        <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
          <DescribeStacksResult>
            <Stacks>
              <member>
                <StackName>collections</StackName>
                <StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/collections/abc</StackId>
                <Parameters>
                  <member><ParameterKey>EventBusName</ParameterKey><ParameterValue>bus</ParameterValue></member>
                </Parameters>
                <StackStatus>UPDATE_COMPLETE</StackStatus>
                <Outputs>
                  <member>
                    <Description>The analyzer's queue</Description>
                    <OutputKey>AnalyzerQueueUrl</OutputKey>
                    <OutputValue>https://sqs.eu-west-1.amazonaws.com/123456789012/a?x=1&amp;y=2</OutputValue>
                  </member>
                  <member><OutputKey>AnalyzerFunctionName</OutputKey><OutputValue>collections-analyzer</OutputValue></member>
                </Outputs>
                <Tags><member><Key>team</Key><Value>photos</Value></member></Tags>
              </member>
            </Stacks>
          </DescribeStacksResult>
          <ResponseMetadata><RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId></ResponseMetadata>
        </DescribeStacksResponse>
        """

    @Test func outputsParametersStatusAndNameAreRead() throws {
        let stacks = try #require(StackDescription.parseDescribeStacks(Data(Self.answer.utf8)))
        var expected = StackDescription(
            name: "collections", id: "arn:aws:cloudformation:eu-west-1:123456789012:stack/collections/abc",
            status: "UPDATE_COMPLETE",
            outputs: [
                "AnalyzerQueueUrl": "https://sqs.eu-west-1.amazonaws.com/123456789012/a?x=1&y=2",
                "AnalyzerFunctionName": "collections-analyzer",
            ])
        expected.parameters = ["EventBusName": "bus"]
        #expect(stacks == [expected])
    }

    @Test func aStackWithoutOutputsAndOtherAnswersAreTold() throws {
        let bare = """
            <DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>s</StackName>\
            <StackStatus>ROLLBACK_COMPLETE</StackStatus></member></Stacks></DescribeStacksResult></DescribeStacksResponse>
            """
        #expect(
            StackDescription.parseDescribeStacks(Data(bare.utf8)) == [
                StackDescription(name: "s", status: "ROLLBACK_COMPLETE")
            ])
        #expect(StackDescription.parseDescribeStacks(Data("<ListStacksResponse/>".utf8)) == nil)
        #expect(StackDescription.parseDescribeStacks(Data("{\"Stacks\": []}".utf8)) == nil)
        #expect(StackDescription.parseDescribeStacks(Data("<DescribeStacksResponse><broken>".utf8)) == nil)
    }

    /// AWS's query-protocol error, and moto's with an `<Errors>` level in between.
    @Test(arguments: [
        """
        <ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type>\
        <Code>ValidationError</Code><Message>Stack with id missing does not exist</Message></Error>\
        <RequestId>R-42</RequestId></ErrorResponse>
        """,
        """
        <?xml version="1.0" encoding="utf-8"?><ErrorResponse><Errors><Error><Code>ValidationError</Code>\
        <Message>Stack with id missing does not exist</Message><Type>Sender</Type></Error></Errors>\
        <RequestId>R-42</RequestId></ErrorResponse>
        """,
    ])
    func theQueryProtocolsErrorIsRead(body: String) {
        let error = AWSErrorParser.error(
            service: .cloudFormation, operation: "DescribeStacks", status: 400, headers: [], body: Data(body.utf8))
        #expect(error.code == "ValidationError")
        #expect(error.message == "Stack with id missing does not exist")
        #expect(error.requestID == "R-42")
        #expect(!error.isRetryable)
    }

    @Test func theRequestIsAFormNamingTheActionAndVersion() {
        let request = CloudFormationClient.request("DescribeStacks", ["StackName": "my stack/1"])
        #expect(request.method == "POST" && request.path == "/")
        #expect(
            String(decoding: request.body, as: UTF8.self)
                == "Action=DescribeStacks&Version=2010-05-15&StackName=my%20stack%2F1")
        #expect(request.headers.first?.value.hasPrefix("application/x-www-form-urlencoded") == true)
    }
}
