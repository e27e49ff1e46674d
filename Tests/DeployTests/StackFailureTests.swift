import Foundation
import PipelineCore
import Testing

@testable import Deploy

/// A rolled-back stack operation names the resource that failed first and CloudFormation's reason,
/// not the stack's own "Resource creation cancelled" aftermath.
@Suite struct StackFailureTests {
    let operation = StackOperation(
        cloudFormation: CloudFormationClient(
            client: AWSClient(credentials: .init(accessKeyID: "AKID", secretAccessKey: "secret")),
            endpoint: AWSEndpoint(awsRegional: .cloudFormation, region: "us-east-1")),
        stackID: "arn:aws:cloudformation:us-east-1:123456789012:stack/demo/1", poll: .seconds(1))

    func event(_ id: Int, _ status: String, _ logicalID: String, _ type: String, _ reason: String = "") -> StackEvent {
        StackEvent(
            id: "e\(id)", timestamp: "2026-12-04T23:00:0\(id)Z", status: status, logicalID: logicalID,
            resourceType: type, reason: reason)
    }

    @Test func aRollbackNamesTheFirstFailedResourceAndItsReason() {
        // Oldest first, as the follower gathers them: the bucket fails, the rest is cancelled.
        let events = [
            event(1, "CREATE_IN_PROGRESS", "demo", "AWS::CloudFormation::Stack", "User Initiated"),
            event(2, "CREATE_FAILED", "UploadBucket", "AWS::S3::Bucket", "photos already exists"),
            event(3, "CREATE_FAILED", "EventBus", "AWS::Events::EventBus", "Resource creation cancelled"),
            event(
                4, "ROLLBACK_IN_PROGRESS", "demo", "AWS::CloudFormation::Stack",
                "The following resource(s) failed to create: [UploadBucket, EventBus]. Rollback requested by user."),
            event(5, "ROLLBACK_COMPLETE", "demo", "AWS::CloudFormation::Stack"),
        ]
        let error = operation.failure(status: "ROLLBACK_COMPLETE", events: events)
        #expect(
            error.description
                == "the stack ended in ROLLBACK_COMPLETE: UploadBucket (AWS::S3::Bucket) failed: photos already exists")
    }

    @Test func withoutAFailedEventItSaysSo() {
        let error = operation.failure(
            status: "UPDATE_ROLLBACK_COMPLETE",
            events: [event(1, "UPDATE_ROLLBACK_COMPLETE", "demo", "AWS::CloudFormation::Stack")])
        #expect(error.description.contains("no event says why"))
    }
}
