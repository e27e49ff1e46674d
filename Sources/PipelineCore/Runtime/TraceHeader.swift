import Foundation

/// The AWS X-Ray trace header (`X-Amzn-Trace-Id`) of the event being handled, so that the events
/// a stage sends carry it on and a photo's three invocations can be followed as one trace.
///
/// Lambda gives each invocation one in `Lambda-Runtime-Trace-Id`
/// (docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html, read 2026-12-04); an SQS message
/// carries its sender's in the `AWSTraceHeader` system attribute; `PutEvents` takes one per
/// entry as `TraceHeader` (docs.aws.amazon.com/eventbridge/latest/APIReference/
/// API_PutEventsRequestEntry.html, read 2026-12-04), and EventBridge passes it to the target
/// (docs.aws.amazon.com/eventbridge/latest/userguide/eb-related-service-xray.html, read
/// 2026-12-04). The format is X-Ray's: `Root=1-{8 hex digits of epoch seconds}-{24 hex
/// digits};Parent={16 hex digits};Sampled={0|1}` (docs.aws.amazon.com/xray/latest/devguide/
/// xray-concepts.html#xray-concepts-tracingheader, read 2026-12-04).
public enum TraceHeader {
    /// The trace header of the event being handled; nil when none came with it.
    @TaskLocal public static var current: String?

    /// The longest header `PutEvents` takes in an entry's `TraceHeader`.
    public static let maxLength = 500

    /// The header, if it can go into a `PutEvents` entry: 1 to ``maxLength`` characters with a
    /// `Root=` part (X-Ray drops headers it cannot read).
    public static func sendable(_ header: String?) -> String? {
        guard let header, (1...maxLength).contains(header.utf8.count), root(of: header) != nil else { return nil }
        return header
    }

    /// The `Root=` trace id of a header, such as `1-5759e988-bd862e3fe1be46a994272793`.
    public static func root(of header: String) -> String? {
        for part in header.split(separator: ";") {
            let field = part.trimmingCharacters(in: .whitespaces)
            if field.hasPrefix("Root=") { return String(field.dropFirst(5)) }
        }
        return nil
    }

    /// A new header in X-Ray's format, not sampled: what the local stack hands an invocation
    /// that came without one, as Lambda starts a trace for it.
    public static func make(at time: Date = Date()) -> String {
        let seconds = String(UInt32(clamping: Int(time.timeIntervalSince1970)), radix: 16)
        let epoch = String(repeating: "0", count: max(0, 8 - seconds.count)) + seconds
        return "Root=1-\(epoch)-\(randomHex(24));Parent=\(randomHex(16));Sampled=0"
    }

    private static func randomHex(_ count: Int) -> String {
        String((0..<count).map { _ in "0123456789abcdef".randomElement()! })
    }
}
