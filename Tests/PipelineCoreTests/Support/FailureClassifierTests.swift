import Foundation
import Testing

@testable import PipelineCore

/// Permanence comes from codes, statuses and types, never from message text.
@Suite struct FailureClassifierTests {
    @Test(arguments: [
        (ClaudeError(.refused, "x", status: 200), FailureKind.permanent(code: "refused")),
        (ClaudeError(.imageRejected, "x"), .permanent(code: "imageRejected")),
        (ClaudeError(.apiError, "x", status: 413), .permanent(code: "requestTooLarge")),
        (ClaudeError(.apiError, "invalid_request_error: Could not process image", status: 400), .rejected),
        (ClaudeError(.apiError, "x", status: 401), .rejected),
        (ClaudeError(.apiError, "x", status: 403), .rejected),
        (ClaudeError(.apiError, "x", status: 404), .rejected),
        (ClaudeError(.apiError, "x", status: 429), .transient),
        (ClaudeError(.apiError, "x", status: 500), .transient),
        (ClaudeError(.apiError, "x", status: 529), .transient),
        (ClaudeError(.unreachable, "x"), .transient),
    ])
    func claudeErrors(error: ClaudeError, kind: FailureKind) {
        #expect(FailureClassifier.kind(of: error) == kind, "\(error)")
    }

    /// The same code and status with any wording is the same kind.
    @Test func wordingChangesNothing() {
        for message in ["image too large", "invalid_request_error: tokens", "", "image"] {
            #expect(FailureClassifier.kind(of: ClaudeError(.apiError, message, status: 400)) == .rejected)
            #expect(FailureClassifier.kind(of: VoyageError(.apiError, message, status: 400)) == .rejected)
        }
    }

    @Test func voyageAWSAndStorageErrors() {
        #expect(FailureClassifier.kind(of: VoyageError(.apiError, "x", status: 429)) == .transient)
        #expect(FailureClassifier.kind(of: VoyageError(.apiError, "x", status: 503)) == .transient)
        #expect(FailureClassifier.kind(of: VoyageError(.unreachable, "x")) == .transient)
        let throttled = AWSError(
            service: "S3", operation: "GetObject", status: 503, code: "SlowDown", message: "", requestID: nil)
        let denied = AWSError(
            service: "S3", operation: "GetObject", status: 403, code: "AccessDenied", message: "", requestID: nil)
        #expect(FailureClassifier.kind(of: throttled) == .transient)
        #expect(FailureClassifier.kind(of: denied) == .rejected)
        #expect(FailureClassifier.kind(of: ObjectStoreError(.failed, "x", underlying: throttled)) == .transient)
        #expect(FailureClassifier.kind(of: ObjectStoreError(.failed, "x", underlying: denied)) == .rejected)
        #expect(FailureClassifier.kind(of: ObjectStoreError(.notFound, "x")) == .rejected)
        let tooLarge = ObjectStoreError(.tooLarge, "x")
        #expect(FailureClassifier.permanentCode(of: tooLarge) == "tooLarge")
        #expect(ImageProcessingStage.permanentCode(of: tooLarge) == "tooManyBytes")
        #expect(AnalysisRefusal.permanentCode(of: tooLarge) == "renditionTooLarge")
        #expect(FailureClassifier.kind(of: ImagingError(.corrupt, "x")) == .permanent(code: "corrupt"))
        #expect(FailureClassifier.kind(of: ImagingError(.startupFailed, "x")) == .transient)
        #expect(FailureClassifier.kind(of: DatabaseError(.unavailable, "x")) == .transient)
        #expect(FailureClassifier.kind(of: DatabaseError(.queryFailed, "x")) == .rejected)
        let budget = RetryBudgetExceeded(
            service: "S3", operation: "GetObject", attempts: 1, deadline: Date(), last: nil)
        #expect(FailureClassifier.kind(of: EventBusError(.failed, "x", underlying: budget)) == .transient)
        #expect(FailureClassifier.kind(of: EventBusError(.entryRejected, "x")) == .rejected)
        struct Untyped: Error {}
        #expect(FailureClassifier.permanentCode(of: Untyped()) == nil)
    }
}
