import Foundation
import PipelineCore

/// Follows a stack operation (create, update, delete) to its end, printing each new event as it
/// arrives, and says which resource failed and why when it did not succeed.
public struct StackOperation: Sendable {
    /// The CloudFormation client.
    public let cloudFormation: CloudFormationClient
    /// The stack's id (its ARN), which still names it once deleted.
    public let stackID: String
    /// Time between polls.
    public let poll: Duration

    /// Creates a follower.
    public init(cloudFormation: CloudFormationClient, stackID: String, poll: Duration) {
        self.cloudFormation = cloudFormation
        self.stackID = stackID
        self.poll = poll
    }

    /// The newest event's id now: events after it belong to the operation about to start.
    public func marker() async throws -> String? {
        try await cloudFormation.stackEvents(stackID).first?.id
    }

    /// Polls DescribeStackEvents and DescribeStacks until the stack's status no longer ends in
    /// `_IN_PROGRESS` (the stack status values of API_Stack.html, read 2026-12-04).
    /// - Returns: the final status (`DELETE_COMPLETE` when the stack is gone).
    /// - Throws: ``DeployError`` naming the first failed resource and its reason when the status
    ///   is not `success`.
    public func follow(after marker: String?, success: String, say: (String) -> Void) async throws -> String {
        var seen = marker
        var events: [StackEvent] = []
        while true {
            let new = try await cloudFormation.stackEvents(stackID, after: seen).reversed()
            for event in new { say("  " + StackReport.event(event)) }
            events += new
            seen = new.last?.id ?? seen
            let status: String
            do {
                status = try await cloudFormation.describeStack(stackID).status
            } catch CloudFormationError.noSuchStack {
                status = "DELETE_COMPLETE"
            }
            if !status.hasSuffix("_IN_PROGRESS") {
                guard status == success else { throw failure(status: status, events: events) }
                return status
            }
            try await Task.sleep(for: poll)
        }
    }

    /// The error for an operation that ended in `status`: the first `*_FAILED` event's resource and reason.
    func failure(status: String, events: [StackEvent]) -> DeployError {
        guard
            let failed = events.first(where: { $0.isFailure && $0.resourceType != "AWS::CloudFormation::Stack" })
                ?? events.first(where: \.isFailure)
        else {
            return DeployError("the stack ended in \(status) and no event says why (see the stack's events)")
        }
        return DeployError(
            "the stack ended in \(status): \(failed.logicalID) (\(failed.resourceType)) failed: "
                + (failed.reason.isEmpty ? "no reason given" : failed.reason))
    }
}
