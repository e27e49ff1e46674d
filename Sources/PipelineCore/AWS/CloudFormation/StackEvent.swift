import Foundation

/// One event in a stack's history, as `DescribeStackEvents` lists it.
public struct StackEvent: Sendable, Equatable {
    /// Unique per event.
    public var id: String
    /// When it happened, as CloudFormation wrote it (ISO 8601, UTC).
    public var timestamp: String
    /// Such as `CREATE_IN_PROGRESS`, `UPDATE_FAILED`, `DELETE_COMPLETE`.
    public var status: String
    /// The resource's logical id (the stack's own name for the stack's events).
    public var logicalID: String
    /// Such as `AWS::Lambda::Function`, `AWS::CloudFormation::Stack`.
    public var resourceType: String
    /// Why, for failures and some progress events; may be empty.
    public var reason: String

    /// Creates an event.
    public init(
        id: String, timestamp: String, status: String, logicalID: String, resourceType: String, reason: String = ""
    ) {
        self.id = id
        self.timestamp = timestamp
        self.status = status
        self.logicalID = logicalID
        self.resourceType = resourceType
        self.reason = reason
    }

    /// True for `*_FAILED` statuses.
    public var isFailure: Bool { status.hasSuffix("_FAILED") }

    /// Parses one page of a `DescribeStackEvents` answer:
    /// `DescribeStackEventsResponse/DescribeStackEventsResult/StackEvents/member` (`EventId`,
    /// `Timestamp`, `ResourceStatus`, `LogicalResourceId`, `ResourceType`, `ResourceStatusReason`)
    /// and `NextToken`. Events come newest first ("in reverse chronological order": DescribeStackEvents,
    /// docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackEvents.html, and
    /// the StackEvent shape, API_StackEvent.html, read 2026-12-04).
    /// - Returns: the events as listed and the next page's token; nil when the body is not a
    ///   `DescribeStackEventsResponse`.
    public static func parseDescribeStackEvents(_ body: Data) -> (events: [StackEvent], nextToken: String?)? {
        guard let document = XMLElements(body), document.elements.last?.name == "DescribeStackEventsResponse" else {
            return nil
        }
        let result = ["DescribeStackEventsResponse", "DescribeStackEventsResult"]
        let member = result + ["StackEvents", "member"]
        var events: [StackEvent] = []
        var nextToken: String?
        var event = StackEvent(id: "", timestamp: "", status: "", logicalID: "", resourceType: "")
        for element in document.elements {
            switch Array(element.path.dropLast()) {
            case member:
                switch element.name {
                case "EventId": event.id = element.text
                case "Timestamp": event.timestamp = element.text
                case "ResourceStatus": event.status = element.text
                case "LogicalResourceId": event.logicalID = element.text
                case "ResourceType": event.resourceType = element.text
                case "ResourceStatusReason": event.reason = element.text
                default: break
                }
            case result + ["StackEvents"] where element.name == "member":
                events.append(event)
                event = StackEvent(id: "", timestamp: "", status: "", logicalID: "", resourceType: "")
            case result where element.name == "NextToken":
                nextToken = element.text.isEmpty ? nil : element.text
            default: break
            }
        }
        return (events, nextToken)
    }
}
