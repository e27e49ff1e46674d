/// The model refused an image for good (the API rejected it, or the model declined): recorded
/// on the item with status `failed`, and thrown so the invocation fails and the event reaches
/// the dead-letter path.
public struct AnalysisRefusal: Error, CustomStringConvertible {
    /// What was recorded.
    public let failure: ItemFailure
    /// True when this attempt found the refusal already recorded and made no model call.
    public let repeated: Bool

    /// Creates the error.
    public init(failure: ItemFailure, repeated: Bool) {
        self.failure = failure
        self.repeated = repeated
    }

    public var description: String {
        let upload = failure.upload
        return (repeated ? "already refused, not asking again: " : "")
            + "\(upload.errorCode): \(upload.errorMessage)"
    }

    /// The stable code of an error that retrying the same image cannot fix, or nil.
    static func permanentCode(of error: any Error) -> String? {
        switch error {
        // Decided from codes and statuses, never from message text: an image the client refused to
        // send, or a request the API found too large, is the image's fault; any other 400 is our
        // request's (or configuration's), and stays retryable after a fix.
        case let error as ClaudeError where error.code == .imageRejected:
            return "imageRejected"
        case let error as ClaudeError where error.code == .apiError && error.status == 413:
            return "requestTooLarge"
        case let error as ClaudeError where error.code == .refused:
            return "refused"
        case let error as ObjectStoreError where error.code == .tooLarge:
            return "renditionTooLarge"
        default:
            return nil
        }
    }
}
