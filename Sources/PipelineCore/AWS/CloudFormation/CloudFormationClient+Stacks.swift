import Foundation

/// Stacks: whether one exists, its events, its deletion.
extension CloudFormationClient {
    /// The stack, or nil when there is none of that name (DescribeStacks' `ValidationError`
    /// "Stack with id NAME does not exist", API_DescribeStacks.html, read 2026-12-04). A stack
    /// whose last state is `DELETE_COMPLETE` counts as none.
    public func existingStack(_ name: String) async throws -> StackDescription? {
        do {
            let stack = try await describeStack(name)
            return stack.status == "DELETE_COMPLETE" ? nil : stack
        } catch CloudFormationError.noSuchStack {
            return nil
        }
    }

    /// A stack's events, newest first, down to (not including) `after`, following `NextToken`
    /// pages (API_DescribeStackEvents.html, read 2026-12-04: "in reverse chronological order";
    /// a deleted stack's events are listed by its id only).
    /// - Parameters:
    ///   - stack: the stack's name or, once deleted, its id.
    ///   - after: the id of an event already seen; nil lists every event.
    public func stackEvents(_ stack: String, after: String? = nil) async throws -> [StackEvent] {
        var events: [StackEvent] = []
        var token: String?
        repeat {
            var fields = ["StackName": stack]
            if let token { fields["NextToken"] = token }
            let response = try await call("DescribeStackEvents", fields)
            guard let page = StackEvent.parseDescribeStackEvents(response.body) else {
                throw malformed("DescribeStackEvents", response)
            }
            for event in page.events {
                if event.id == after { return events }
                events.append(event)
            }
            token = page.nextToken
        } while token != nil
        return events
    }

    /// Starts deleting a stack (DeleteStack: "Deleted stacks don't show up in the DescribeStacks
    /// operation if the deletion has been completed successfully"; deleting one that does not
    /// exist succeeds, API_DeleteStack.html, read 2026-12-04).
    public func deleteStack(_ stack: String) async throws {
        _ = try await call("DeleteStack", ["StackName": stack])
    }
}
