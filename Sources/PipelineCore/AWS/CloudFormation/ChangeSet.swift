import Foundation

/// A change set as CloudFormation's `DescribeChangeSet` describes it: its state and the resource
/// changes it would make.
public struct ChangeSet: Sendable, Equatable {
    /// One resource change (`Changes/member/ResourceChange`).
    public struct ResourceChange: Sendable, Equatable {
        /// `Add`, `Modify`, `Remove`, `Import`, `Dynamic`.
        public var action: String
        /// The resource's logical id in the template.
        public var logicalID: String
        /// Such as `AWS::Lambda::Function`.
        public var resourceType: String
        /// For `Modify`: `True`, `False` or `Conditional`; empty otherwise.
        public var replacement: String

        /// Creates a change.
        public init(action: String, logicalID: String, resourceType: String, replacement: String = "") {
            self.action = action
            self.logicalID = logicalID
            self.resourceType = resourceType
            self.replacement = replacement
        }
    }

    /// Its ARN.
    public var id = ""
    /// The stack's ARN.
    public var stackID = ""
    /// `CREATE_PENDING`, `CREATE_IN_PROGRESS`, `CREATE_COMPLETE`, `DELETE_*` or `FAILED`.
    public var status = ""
    /// `AVAILABLE` when it can be executed; `UNAVAILABLE`, `EXECUTE_*`, `OBSOLETE` otherwise.
    public var executionStatus = ""
    /// Why it is `FAILED`, in CloudFormation's words.
    public var statusReason = ""
    /// The changes, in order.
    public var changes: [ResourceChange] = []
    /// The next page's token, when the changes go on.
    public var nextToken: String?

    /// Creates a description.
    public init() {}

    /// True while CloudFormation is still computing it.
    public var isPending: Bool { status == "CREATE_PENDING" || status == "CREATE_IN_PROGRESS" }

    /// True for a change set that failed only because nothing would change. CloudFormation says
    /// so in StatusReason ("The submitted information didn't contain changes. Submit different
    /// information to create a change set."), or, from some callers, "No updates are to be
    /// performed." (both seen in the wild; the API reference only says that StatusReason holds
    /// the error message of a FAILED change set: API_DescribeChangeSet.html, read 2026-12-04).
    public var containsNoChanges: Bool {
        status == "FAILED" && Self.isNoChangesReason(statusReason)
    }

    /// Whether a reason (a FAILED change set's, or a ValidationError's message) means "nothing to change".
    public static func isNoChangesReason(_ reason: String) -> Bool {
        reason.contains("didn't contain changes") || reason.contains("No updates are to be performed")
    }

    /// Parses a `DescribeChangeSet` answer:
    /// `DescribeChangeSetResponse/DescribeChangeSetResult` with `ChangeSetId`, `StackId`,
    /// `Status`, `ExecutionStatus`, `StatusReason`, `NextToken` and `Changes/member/ResourceChange`
    /// (`Action`, `LogicalResourceId`, `ResourceType`, `Replacement`), the shapes of DescribeChangeSet
    /// and ResourceChange in the CloudFormation API Reference
    /// (docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeChangeSet.html and
    /// API_ResourceChange.html, read 2026-12-04). Other elements are ignored.
    /// - Returns: nil when the body is not a `DescribeChangeSetResponse`.
    public static func parseDescribeChangeSet(_ body: Data) -> ChangeSet? {
        guard let document = XMLElements(body), document.elements.last?.name == "DescribeChangeSetResponse" else {
            return nil
        }
        let result = ["DescribeChangeSetResponse", "DescribeChangeSetResult"]
        let resourceChange = result + ["Changes", "member", "ResourceChange"]
        var changeSet = ChangeSet()
        var change = ResourceChange(action: "", logicalID: "", resourceType: "")
        for element in document.elements {
            switch Array(element.path.dropLast()) {
            case result:
                switch element.name {
                case "ChangeSetId": changeSet.id = element.text
                case "StackId": changeSet.stackID = element.text
                case "Status": changeSet.status = element.text
                case "ExecutionStatus": changeSet.executionStatus = element.text
                case "StatusReason": changeSet.statusReason = element.text
                case "NextToken": changeSet.nextToken = element.text.isEmpty ? nil : element.text
                default: break
                }
            case resourceChange:
                switch element.name {
                case "Action": change.action = element.text
                case "LogicalResourceId": change.logicalID = element.text
                case "ResourceType": change.resourceType = element.text
                case "Replacement": change.replacement = element.text
                default: break
                }
            case result + ["Changes"] where element.name == "member":
                changeSet.changes.append(change)
                change = ResourceChange(action: "", logicalID: "", resourceType: "")
            default: break
            }
        }
        return changeSet
    }
}
