import Foundation

/// What one invocation carries: a single event (a put-events replay, `--event`, a direct
/// invoke), or a batch of SQS messages whose bodies are events. Decoded in one pass: the
/// single event is decoded from the same parse that looked for SQS records.
public enum Invocation<Event: Decodable & Sendable>: Decodable, Sendable {
    /// One event.
    case event(Event)
    /// A batch from an SQS event source mapping.
    case batch([SQSEventRecord])

    public init(from decoder: any Decoder) throws {
        if let fields = try? decoder.container(keyedBy: AnyKey.self), fields.contains("Records"),
            let records = try? fields.decode([SQSEventRecord].self, forKey: "Records"),
            !records.isEmpty, records.allSatisfy({ $0.eventSource == "aws:sqs" })
        {
            self = .batch(records)
        } else {
            self = .event(try Event(from: decoder))
        }
    }

    /// Decodes an invocation's payload. A single event over ``EventSizeLimit/bytes`` is refused
    /// as EventBridge would have; a batch may be up to Lambda's synchronous payload limit.
    /// - Parameter what: a name for messages, such as `Analyzer event`.
    /// - Throws: ``EventError``.
    public static func decode(_ payload: Data, what: String) throws -> Invocation {
        let invocation: Invocation
        do {
            invocation = try EventDecoding.decode(Invocation.self, from: payload, what: what)
        } catch {
            try EventSizeLimit.check(size: payload.count)
            throw error
        }
        if case .event = invocation { try EventSizeLimit.check(size: payload.count) }
        return invocation
    }
}
