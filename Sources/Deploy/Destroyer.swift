import Foundation
import PipelineCore

/// `collections destroy`: deletes a stack, prints its events until it is gone, and says what stays.
public struct Destroyer: Sendable {
    public let aws: DeployAWS
    public let template: DeployTemplate
    public var poll: Duration = .seconds(3)

    /// Creates a destroyer.
    public init(aws: DeployAWS, template: DeployTemplate) {
        self.aws = aws
        self.template = template
    }

    /// The stack to delete.
    /// - Throws: ``CloudFormationError/noSuchStack(_:region:)`` when there is none.
    public func stack(_ name: String) async throws -> StackDescription {
        guard let stack = try await aws.cloudFormation.existingStack(name) else {
            throw CloudFormationError.noSuchStack(name, region: aws.region)
        }
        return stack
    }

    /// Deletes the stack (DeleteStack) and follows its events to `DELETE_COMPLETE`.
    /// - Throws: ``DeployError`` naming the resource that could not be deleted, and why.
    public func destroy(_ stack: StackDescription, say: (String) -> Void) async throws {
        let operation = StackOperation(cloudFormation: aws.cloudFormation, stackID: stack.id, poll: poll)
        let marker = try await operation.marker()
        try await aws.cloudFormation.deleteStack(stack.id)
        say("deleting stack \(stack.name); events:")
        do {
            _ = try await operation.follow(after: marker, success: "DELETE_COMPLETE", say: say)
        } catch let error as DeployError {
            throw DeployError(
                "\(error.description)\n"
                    + "(an upload bucket with photos in it cannot be deleted: empty it with "
                    + "aws s3 rm s3://\(stack.outputs["UploadBucketName"] ?? "BUCKET") --recursive, then destroy again)"
            )
        }
        say("stack \(stack.name): DELETE_COMPLETE")
        say(kept(stack))
    }

    /// What deleting the stack leaves, by the template's own deletion policies.
    public func kept(_ stack: StackDescription) -> String {
        let bucket = stack.outputs["UploadBucketName"] ?? "the upload bucket"
        let policy = template.bucketDeletionPolicies["UploadBucket"] ?? "Delete"
        let bucketLine =
            policy == "Retain" || policy == "RetainExceptOnCreate"
            ? "- the upload bucket \(bucket) and its photos (its DeletionPolicy is \(policy))"
            : "- nothing of the upload bucket \(bucket): it was empty, so CloudFormation deleted it "
                + "(its DeletionPolicy is \(policy); a bucket with photos in it would have stopped the deletion)"
        let parameters = ["DatabaseUrlParameterName", "AnthropicApiKeyParameterName", "VoyageApiKeyParameterName"]
            .compactMap { stack.parameters[$0] ?? template.value($0, given: [:]) }
        return """
            Kept (not part of the stack):
            \(bucketLine)
            - the database and its tables (delete them yourself if you want them gone)
            - the SSM parameters \(parameters.joined(separator: ", ")) (aws ssm delete-parameters --names ...)
            - the artifact bucket \(stack.parameters["ArtifactBucket"] ?? "") and its archives
            """
    }
}
