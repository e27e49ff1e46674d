import Foundation
import PipelineCore
import StandIns
import TestSupport
import Testing

/// The official Python SDKs parse every answer and error the stand-ins give.
@Suite(.enabled(if: TestEnvironment.pythonEnabled))
struct SDKProofTests {
    @Test func officialSDKsParseEveryAnswerAndError() async throws {
        guard let python = TestEnvironment.python else {
            throw TestSetupError("COLLECTIONS_TEST_PYTHON is not set: run scripts/test, which installs the SDKs")
        }
        let keys = AWSCredentials(accessKeyID: "AKIASTANDIN000000001", secretAccessKey: "stand-in-secret")
        let limited = try RateLimits(parsing: "claude=1/min,voyage=1/min")
        let outcome = try await withStandIns(awsCredentials: [keys]) { ok in
            try await withStandIns(faults: FaultPlan(rateLimited: 1)) { tooMany in
                try await withStandIns(faults: FaultPlan(serverError: 1)) { failing in
                    try await withStandIns(faults: FaultPlan(overloaded: 1)) { overloaded in
                        try await withStandIns(rateLimits: limited) { rateLimited in
                            try await Products.start(
                                program: URL(fileURLWithPath: python),
                                arguments: [
                                    TestEnvironment.file("scripts/sdk-proof/check_stand_ins.py").path, "--ok", ok,
                                    "--faults-429", tooMany, "--faults-500", failing, "--faults-529", overloaded,
                                    "--image", TestEnvironment.file("fixtures/images/red.jpg").path,
                                    "--aws-access-key", keys.accessKeyID, "--aws-secret", keys.secretAccessKey,
                                    "--rate-limited", rateLimited,
                                ],
                                environment: [:]
                            ).wait(timeout: .seconds(120))
                        }
                    }
                }
            }
        }
        #expect(outcome.status == 0, "\(outcome.stderr)\n\(outcome.stdout)")
        #expect(outcome.stdout.contains("checks passed with anthropic"), "\(outcome.stdout)")
    }
}
