/// The largest event a function handles: 256 KiB, alone or as one message of a batch.
///
/// Nothing larger can reach a pipeline function honestly: EventBridge refuses an entry over
/// 256 KB, asynchronous Lambda invocations (how EventBridge and S3 invoke) carried at most 256 KB,
/// and our own events are under 2 KB. A bigger body is refused before it is parsed, so a runaway
/// or hostile payload costs neither memory nor a JSON parse.
public enum EventSizeLimit {
    /// 262,144 bytes.
    public static let bytes = 256 * 1024

    /// The largest invocation payload: 6 MB, Lambda's limit for a synchronous invocation, which
    /// is how an SQS event source mapping invokes with a batch of events
    /// (docs.aws.amazon.com/lambda/latest/api/API_Invoke.html, read 2026-12-04). Each event in it
    /// is still held to ``bytes``.
    public static let invocationBytes = 6 * 1024 * 1024

    /// Throws when an event of `size` bytes is over `limit`.
    /// - Throws: ``EventError`` with code `tooLarge`, stating the size and the limit.
    public static func check(size: Int, limit: Int = bytes) throws {
        guard size > limit else { return }
        throw EventError(
            .tooLarge,
            "the event is \(size) bytes, over the limit of \(limit) bytes (\(describe(limit))); "
                + "it was refused without being parsed")
    }

    private static func describe(_ bytes: Int) -> String {
        bytes % 1024 == 0 ? "\(bytes / 1024) KiB" : "\(bytes) B"
    }
}
