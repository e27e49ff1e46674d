import Foundation
import Testing

@testable import TestSupport

/// The moto servers `scripts/moto` starts refuse the parameter values CloudFormation refuses
/// (`scripts/lib/moto_rules.py`), proven with boto3 on both servers; and the real template still
/// creates with valid parameters, through CreateStack and through a change set.
@Suite(.enabled(if: MotoServer.enabled && TestEnvironment.pythonEnabled, "needs moto and Python (scripts/test)"))
struct MotoRulesTests {
    @Test(arguments: ["verifying", "open"])
    func motoRefusesWhatCloudFormationRefuses(server: String) async throws {
        let moto = try server == "open" ? MotoServer.requireOpen() : MotoServer.requireVerifying()
        guard let python = TestEnvironment.python else { throw TestSetupError("COLLECTIONS_TEST_PYTHON is not set") }
        let outcome = try await Products.start(
            program: URL(fileURLWithPath: python),
            arguments: [
                TestEnvironment.file("scripts/sdk-proof/check_moto_rules.py").path, "--url", moto.url,
                "--template", TestEnvironment.file("infrastructure/template.yaml").path,
                "--key", moto.credentials.accessKeyID, "--secret", moto.credentials.secretAccessKey,
            ] + (server == "open" ? ["--lambda"] : []),
            environment: [:]
        ).wait(timeout: .seconds(120))
        #expect(outcome.status == 0, "\(outcome.stdout)\n\(outcome.stderr)")
        let checks = 31
        #expect(outcome.stdout.contains("\(checks) moto rule checks passed, 0 failed"), "\(outcome.stdout)")
    }
}
