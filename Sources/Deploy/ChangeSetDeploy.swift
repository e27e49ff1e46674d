import Foundation
import PipelineCore

/// Creates or updates a stack through a change set: create it, wait, print its changes, execute
/// it and follow the stack's events; or, for a dry run, delete it unexecuted.
public struct ChangeSetDeploy: Sendable {
    public let cloudFormation: CloudFormationClient
    public let s3: S3Client
    public let poll: Duration

    /// Creates a deploy step.
    public init(cloudFormation: CloudFormationClient, s3: S3Client, poll: Duration) {
        self.cloudFormation = cloudFormation
        self.s3 = s3
        self.poll = poll
    }

    /// Runs the change set for `stack`.
    /// - Returns: the stack as it stands afterwards; nil for a dry run.
    /// - Throws: ``DeployError`` with CloudFormation's reason when the change set is refused or
    ///   fails, or the stack operation fails (naming the first failed resource).
    public func run(
        stack: String, template: DeployTemplate, parameters: [String: String], artifactBucket: String, dryRun: Bool,
        say: (String) -> Void
    ) async throws -> StackDescription? {
        var existing = try await cloudFormation.existingStack(stack)
        if let current = existing {
            switch current.status {
            case "REVIEW_IN_PROGRESS":
                // Left by a change set that was never executed: nothing was created, so start afresh.
                try await cloudFormation.deleteStack(current.id)
                existing = nil
            case "ROLLBACK_COMPLETE", "ROLLBACK_FAILED":
                throw DeployError(
                    "stack \(stack) is in \(current.status) (its creation failed) and cannot be updated: "
                        + "run collections destroy --stack \(stack), then deploy again")
            case let status where status.hasSuffix("_IN_PROGRESS"):
                throw DeployError("stack \(stack) is busy (\(status)): wait for it to finish, then deploy again")
            default: break
            }
        }
        let type = existing == nil ? "CREATE" : "UPDATE"
        var given: [(String, String?)] = parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        // Keep the stack's values for parameters not given now, as `aws cloudformation deploy` does.
        for key in (existing?.parameters.keys.sorted() ?? [])
        where parameters[key] == nil && template.parameters[key] != nil {
            given.append((key, nil))
        }
        let source = try await templateSource(template, bucket: artifactBucket, dryRun: dryRun, say: say)
        let name = "collections-deploy-\(Int(Date().timeIntervalSince1970))"
        say("change set \(name) (\(type)):")
        let created: (id: String, stackID: String)
        do {
            created = try await cloudFormation.createChangeSet(
                stack: stack, name: name, type: type, template: source, parameters: given,
                description: "collections deploy")
        } catch let error as AWSError where error.code == "ValidationError" {
            if ChangeSet.isNoChangesReason(error.message) { return try await upToDate(stack, say: say) }
            try await removeReviewStack(stack, type: type)
            throw DeployError("CloudFormation refused the change set: \(error.message)")
        }
        let changeSet = try await cloudFormation.waitForChangeSet(created.id, poll: poll)
        // Nothing to do: CloudFormation says so, or lists no change while no parameter differs
        // (moto lists none for a change of parameters alone, which still updates resources).
        let sameParameters = parameters.allSatisfy { existing?.parameters[$0.key] == $0.value }
        if changeSet.containsNoChanges || (type == "UPDATE" && changeSet.changes.isEmpty && sameParameters) {
            try await cloudFormation.deleteChangeSet(created.id)
            return try await upToDate(stack, say: say)
        }
        guard changeSet.status == "CREATE_COMPLETE" else {
            try? await cloudFormation.deleteChangeSet(created.id)
            try await removeReviewStack(stack, type: type)
            throw DeployError("the change set failed (\(changeSet.status)): \(changeSet.statusReason)")
        }
        say(StackReport.changes(changeSet))
        if changeSet.changes.isEmpty { say("(no resource changes listed: parameters changed)") }
        if dryRun {
            try await cloudFormation.deleteChangeSet(created.id)
            try await removeReviewStack(stack, type: type)
            say("dry run: change set deleted, nothing executed")
            return nil
        }
        let operation = StackOperation(cloudFormation: cloudFormation, stackID: created.stackID, poll: poll)
        let marker = try await operation.marker()
        try await cloudFormation.executeChangeSet(created.id)
        say("executing; events:")
        _ = try await operation.follow(after: marker, success: "\(type)_COMPLETE", say: say)
        say("stack \(stack): \(type)_COMPLETE")
        return try await cloudFormation.describeStack(created.stackID)
    }

    private func upToDate(_ stack: String, say: (String) -> Void) async throws -> StackDescription {
        say("no changes: stack \(stack) is up to date")
        return try await cloudFormation.describeStack(stack)
    }

    /// A CREATE change set leaves its stack in REVIEW_IN_PROGRESS: delete it, so nothing is left half-made.
    private func removeReviewStack(_ stack: String, type: String) async throws {
        guard type == "CREATE", let left = try await cloudFormation.existingStack(stack),
            left.status == "REVIEW_IN_PROGRESS"
        else { return }
        try await cloudFormation.deleteStack(left.id)
    }

    /// The template inline when it fits TemplateBody, else uploaded (content-addressed) to the
    /// artifact bucket and passed as TemplateURL.
    private func templateSource(
        _ template: DeployTemplate, bucket: String, dryRun: Bool, say: (String) -> Void
    ) async throws -> CloudFormationClient.TemplateSource {
        let data = Data(template.body.utf8)
        guard data.count > CloudFormationClient.maxTemplateBodyBytes else { return .body(template.body) }
        let key = "collections/template-\(SigV4.sha256Hex(data).prefix(16)).yaml"
        if try await !s3.objectExists(bucket: bucket, key: key) {
            try await s3.put(bucket: bucket, key: key, data: data, contentType: "application/x-yaml")
            say("template: \(data.count) bytes, over the TemplateBody limit: uploaded to s3://\(bucket)/\(key)")
        }
        // CloudFormation reads the template from S3 itself, so the URL is S3's own (virtual-hosted,
        // "must start with https://": API_CreateChangeSet.html, read 2026-12-04) even when this
        // tool reaches S3 through another endpoint; moto resolves the same form.
        return .url("https://\(bucket).s3.\(s3.endpoint.region).amazonaws.com/\(key)")
    }
}
