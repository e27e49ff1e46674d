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

    /// The stable code of an error that retrying the same image cannot fix, or nil, as
    /// ``FailureClassifier`` says; a rendition over the size limit is `renditionTooLarge`.
    static func permanentCode(of error: any Error) -> String? {
        FailureClassifier.permanentCode(of: error, renaming: ["tooLarge": "renditionTooLarge"])
    }
}
