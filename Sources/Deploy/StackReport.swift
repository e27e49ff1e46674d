import PipelineCore
import Tables

/// How `deploy` and `destroy` print a change set, events and outputs (with the one table printer).
public enum StackReport {
    /// The change set's changes: action, logical id, type, replacement.
    public static func changes(_ changeSet: ChangeSet) -> String {
        var table = Table(headers: ["action", "logical id", "type", "replacement"], maxWidth: 60)
        for change in changeSet.changes {
            table.add([change.action, change.logicalID, change.resourceType, change.replacement])
        }
        return table.render()
    }

    /// One event as a line: time, status, logical id, type, reason.
    public static func event(_ event: StackEvent) -> String {
        var line = "\(event.timestamp)  \(event.status)  \(event.logicalID)  \(event.resourceType)"
        if !event.reason.isEmpty { line += "  \(event.reason)" }
        return line
    }

    /// The stack's outputs, by key.
    public static func outputs(_ outputs: [String: String]) -> String {
        var table = Table(headers: ["output", "value"], maxWidth: 120)
        for key in outputs.keys.sorted() { table.add([key, outputs[key] ?? ""]) }
        return table.render()
    }

    /// Three commands to try the deployed pipeline with.
    public static func tryIt(stack: String, outputs: [String: String], databaseParameter: String?) -> String {
        let bucket = outputs["UploadBucketName"] ?? "UPLOAD_BUCKET"
        let function = outputs["ImageProcessorFunctionName"] ?? "\(stack)-image-processor"
        let database =
            databaseParameter.map {
                "DATABASE_URL=$(aws ssm get-parameter --name \($0) --with-decryption --query Parameter.Value --output text)"
            } ?? "DATABASE_URL=..."
        return """
            Try it:
              aws s3 cp photo.jpg s3://\(bucket)/alice/photo.jpg
              aws logs tail /aws/lambda/\(function) --follow
              \(database) collections search "a red bicycle"    # or: psql "$DATABASE_URL"
            """
    }
}
