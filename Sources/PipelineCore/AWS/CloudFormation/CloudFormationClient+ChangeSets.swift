import Foundation

/// Change sets: create, describe (every page), execute, delete.
extension CloudFormationClient {
    /// Where a change set's template comes from.
    public enum TemplateSource: Sendable {
        /// The template text, at most ``CloudFormationClient/maxTemplateBodyBytes``.
        case body(String)
        /// An S3 URL of the template (up to 1 MB there).
        case url(String)
    }

    /// "A structure that contains the body of the revised template, with a minimum length of 1 byte
    /// and a maximum length of 51,200 bytes" (CreateChangeSet, TemplateBody,
    /// docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html, read
    /// 2026-12-04); a larger template goes to S3 and is passed as TemplateURL ("Template body
    /// size in an Amazon S3 object: 1 MB", CloudFormation quotas, cloudformation-limits.html).
    public static let maxTemplateBodyBytes = 51_200

    /// Starts creating a change set (CreateChangeSet).
    ///
    /// `ChangeSetType` is `CREATE` for a stack that does not exist (CloudFormation then makes the
    /// stack in `REVIEW_IN_PROGRESS`) and `UPDATE` for one that does; `Capabilities.member.1` is
    /// `CAPABILITY_IAM` (the template makes IAM roles); parameters go as
    /// `Parameters.member.N.ParameterKey` with `ParameterValue`, or `UsePreviousValue=true` to keep
    /// the stack's value (API_CreateChangeSet.html and API_Parameter.html, read 2026-12-04).
    /// - Parameters:
    ///   - parameters: key and value; a nil value keeps the stack's current one.
    /// - Returns: the change set's ARN and the stack's.
    /// - Throws: ``AWSError``; a `ValidationError` carries CloudFormation's own message (a
    ///   parameter outside its AllowedValues, say).
    public func createChangeSet(
        stack: String, name: String, type: String, template: TemplateSource, parameters: [(String, String?)],
        capabilities: [String] = ["CAPABILITY_IAM"], description: String? = nil
    ) async throws -> (id: String, stackID: String) {
        var fields = ["StackName": stack, "ChangeSetName": name, "ChangeSetType": type]
        switch template {
        case .body(let body): fields["TemplateBody"] = body
        case .url(let url): fields["TemplateURL"] = url
        }
        for (index, capability) in capabilities.enumerated() { fields["Capabilities.member.\(index + 1)"] = capability }
        for (index, (key, value)) in parameters.enumerated() {
            let prefix = "Parameters.member.\(index + 1)."
            fields[prefix + "ParameterKey"] = key
            if let value {
                fields[prefix + "ParameterValue"] = value
            } else {
                fields[prefix + "UsePreviousValue"] = "true"
            }
        }
        if let description { fields["Description"] = description }
        let response = try await call("CreateChangeSet", fields)
        let elements = XMLElements(response.body)?.elements ?? []
        let id = elements.first { $0.name == "Id" && $0.parent == "CreateChangeSetResult" }?.text
        let stackID = elements.first { $0.name == "StackId" && $0.parent == "CreateChangeSetResult" }?.text
        guard let id else { throw malformed("CreateChangeSet", response) }
        return (id, stackID ?? "")
    }

    /// Describes a change set with every page of its changes (`NextToken`, "if the output exceeds
    /// 1 MB": API_DescribeChangeSet.html, read 2026-12-04).
    /// - Parameter id: the change set's ARN (or name, with `stack`).
    public func describeChangeSet(_ id: String, stack: String? = nil) async throws -> ChangeSet {
        var fields = ["ChangeSetName": id]
        if let stack { fields["StackName"] = stack }
        var described: ChangeSet?
        var token: String?
        repeat {
            var page = fields
            if let token { page["NextToken"] = token }
            let response = try await call("DescribeChangeSet", page)
            guard let parsed = ChangeSet.parseDescribeChangeSet(response.body) else {
                throw malformed("DescribeChangeSet", response)
            }
            if described == nil { described = parsed } else { described?.changes += parsed.changes }
            token = parsed.nextToken
        } while token != nil
        described?.nextToken = nil
        return described!
    }

    /// Waits until a change set is no longer being created (it is then `CREATE_COMPLETE` or `FAILED`).
    public func waitForChangeSet(_ id: String, poll: Duration = .seconds(2)) async throws -> ChangeSet {
        while true {
            let changeSet = try await describeChangeSet(id)
            if !changeSet.isPending { return changeSet }
            try await Task.sleep(for: poll)
        }
    }

    /// Executes a change set (ExecuteChangeSet: "updates a stack using the input information that
    /// was provided when the specified change set was created"; the stack then runs its operation,
    /// API_ExecuteChangeSet.html, read 2026-12-04).
    public func executeChangeSet(_ id: String) async throws {
        _ = try await call("ExecuteChangeSet", ["ChangeSetName": id])
    }

    /// Deletes a change set (DeleteChangeSet, API_DeleteChangeSet.html, read 2026-12-04). For a
    /// CREATE change set this leaves its `REVIEW_IN_PROGRESS` stack, which ``deleteStack(_:)`` removes.
    public func deleteChangeSet(_ id: String) async throws {
        _ = try await call("DeleteChangeSet", ["ChangeSetName": id])
    }

    /// Sends one query-protocol call.
    func call(_ action: String, _ fields: [String: String]) async throws -> AWSResponse {
        try await client.send(Self.request(action, fields), service: .cloudFormation, endpoint: endpoint)
    }

    /// The error for an answer that is not the action's.
    func malformed(_ action: String, _ response: AWSResponse) -> AWSError {
        AWSError(
            service: AWSService.cloudFormation.displayName, operation: action, status: response.status,
            code: "MalformedResponse", message: "the answer is not a \(action)Response",
            requestID: response.header("x-amzn-requestid"))
    }
}
