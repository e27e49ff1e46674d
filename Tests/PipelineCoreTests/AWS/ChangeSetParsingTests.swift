import Foundation
import Testing

@testable import PipelineCore

/// Reading CloudFormation's DescribeChangeSet and DescribeStackEvents answers, shaped as the API
/// reference's examples (API_DescribeChangeSet.html, API_DescribeStackEvents.html, read 2026-12-04).
@Suite struct ChangeSetParsingTests {
    static let changeSet = """
        <DescribeChangeSetResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
          <DescribeChangeSetResult>
            <StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/SampleStack/1a2345b6</StackId>
            <Status>CREATE_COMPLETE</Status>
            <ChangeSetName>SampleChangeSet-direct</ChangeSetName>
            <Parameters>
              <member><ParameterValue>testing</ParameterValue><ParameterKey>Purpose</ParameterKey></member>
            </Parameters>
            <Changes>
              <member>
                <ResourceChange>
                  <Action>Modify</Action>
                  <LogicalResourceId>MyEC2Instance</LogicalResourceId>
                  <PhysicalResourceId>i-1abc23d4</PhysicalResourceId>
                  <Details>
                    <member>
                      <Target><Name>Tags</Name><Attribute>Tags</Attribute><RequiresRecreation>Never</RequiresRecreation></Target>
                      <Evaluation>Static</Evaluation>
                      <ChangeSource>DirectModification</ChangeSource>
                    </member>
                  </Details>
                  <ResourceType>AWS::EC2::Instance</ResourceType>
                  <Replacement>False</Replacement>
                  <Scope><member>Tags</member></Scope>
                </ResourceChange>
                <Type>Resource</Type>
              </member>
              <member>
                <ResourceChange>
                  <Action>Add</Action>
                  <LogicalResourceId>Queue</LogicalResourceId>
                  <ResourceType>AWS::SQS::Queue</ResourceType>
                </ResourceChange>
                <Type>Resource</Type>
              </member>
            </Changes>
            <ExecutionStatus>AVAILABLE</ExecutionStatus>
            <ChangeSetId>arn:aws:cloudformation:us-east-1:123456789012:changeSet/SampleChangeSet-direct/1a2345b6</ChangeSetId>
            <NextToken>page-2</NextToken>
          </DescribeChangeSetResult>
          <ResponseMetadata><RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId></ResponseMetadata>
        </DescribeChangeSetResponse>
        """

    @Test func changesStatusAndTokenAreRead() throws {
        let parsed = try #require(ChangeSet.parseDescribeChangeSet(Data(Self.changeSet.utf8)))
        #expect(parsed.status == "CREATE_COMPLETE" && parsed.executionStatus == "AVAILABLE")
        #expect(parsed.id.hasSuffix("changeSet/SampleChangeSet-direct/1a2345b6"))
        #expect(parsed.stackID.hasSuffix("stack/SampleStack/1a2345b6"))
        #expect(parsed.nextToken == "page-2" && !parsed.isPending && !parsed.containsNoChanges)
        #expect(
            parsed.changes == [
                .init(
                    action: "Modify", logicalID: "MyEC2Instance", resourceType: "AWS::EC2::Instance",
                    replacement: "False"),
                .init(action: "Add", logicalID: "Queue", resourceType: "AWS::SQS::Queue"),
            ])
    }

    @Test func anEmptyChangeSetIsToldFromAFailedOne() throws {
        func described(_ status: String, _ reason: String) throws -> ChangeSet {
            let body = """
                <DescribeChangeSetResponse><DescribeChangeSetResult><Status>\(status)</Status>\
                <StatusReason>\(reason)</StatusReason><Changes/></DescribeChangeSetResult></DescribeChangeSetResponse>
                """
            return try #require(ChangeSet.parseDescribeChangeSet(Data(body.utf8)))
        }
        let empty = try described(
            "FAILED",
            "The submitted information didn't contain changes. Submit different information to create a change set.")
        #expect(empty.containsNoChanges && empty.changes.isEmpty)
        #expect(try described("FAILED", "No updates are to be performed.").containsNoChanges)
        #expect(try !described("FAILED", "Template format error: Unresolved resource dependencies").containsNoChanges)
        #expect(try described("CREATE_PENDING", "").isPending)
        #expect(ChangeSet.parseDescribeChangeSet(Data("<DescribeStacksResponse/>".utf8)) == nil)
    }

    static let events = """
        <DescribeStackEventsResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
          <DescribeStackEventsResult>
            <StackEvents>
              <member>
                <Timestamp>2016-03-15T20:54:31.809Z</Timestamp>
                <ResourceStatus>CREATE_COMPLETE</ResourceStatus>
                <StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/SampleStack/12a3b456</StackId>
                <EventId>1dedea10-eaf0-11e5-8451-500c5242948e</EventId>
                <LogicalResourceId>SampleStack</LogicalResourceId>
                <StackName>SampleStack</StackName>
                <PhysicalResourceId>arn:aws:cloudformation:us-east-1:123456789012:stack/SampleStack/12a3b456</PhysicalResourceId>
                <ResourceType>AWS::CloudFormation::Stack</ResourceType>
              </member>
              <member>
                <Timestamp>2016-03-15T20:54:30.174Z</Timestamp>
                <ResourceStatus>CREATE_FAILED</ResourceStatus>
                <EventId>MyBucket-CREATE_FAILED-2016-03-15T20:54:30.174Z</EventId>
                <LogicalResourceId>MyBucket</LogicalResourceId>
                <ResourceStatusReason>photos already exists</ResourceStatusReason>
                <ResourceProperties>{"BucketName":"photos"}</ResourceProperties>
                <ResourceType>AWS::S3::Bucket</ResourceType>
              </member>
            </StackEvents>
            <NextToken>more</NextToken>
          </DescribeStackEventsResult>
          <ResponseMetadata><RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId></ResponseMetadata>
        </DescribeStackEventsResponse>
        """

    @Test func eventsAreReadNewestFirstWithTheirReasons() throws {
        let page = try #require(StackEvent.parseDescribeStackEvents(Data(Self.events.utf8)))
        #expect(page.nextToken == "more")
        #expect(
            page.events == [
                StackEvent(
                    id: "1dedea10-eaf0-11e5-8451-500c5242948e", timestamp: "2016-03-15T20:54:31.809Z",
                    status: "CREATE_COMPLETE", logicalID: "SampleStack", resourceType: "AWS::CloudFormation::Stack"),
                StackEvent(
                    id: "MyBucket-CREATE_FAILED-2016-03-15T20:54:30.174Z", timestamp: "2016-03-15T20:54:30.174Z",
                    status: "CREATE_FAILED", logicalID: "MyBucket", resourceType: "AWS::S3::Bucket",
                    reason: "photos already exists"),
            ])
        #expect(page.events[1].isFailure && !page.events[0].isFailure)
        #expect(StackEvent.parseDescribeStackEvents(Data("<DescribeChangeSetResponse/>".utf8)) == nil)
    }
}
