import Foundation
import Processes

@testable import TestSupport

/// Driving `collections local` from a test as a user would.
enum LocalStackCLI {
    /// The caller's environment (PostgreSQL's port, `PATH`, the `aws` CLI) without anything that
    /// would point the stack at other servers or keys, plus the stack's own state folder.
    static func environment(stateDirectory: URL) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("AWS_") && !$0.key.hasPrefix("ANTHROPIC_") && !$0.key.hasPrefix("VOYAGE_")
                && $0.key != "DATABASE_URL"
        }
        environment["COLLECTIONS_LOCAL_DIR"] = stateDirectory.path
        return environment
    }

    /// Runs `collections local down` to its end; for `defer`, which cannot await.
    static func down(environment: [String: String]) {
        guard let collections = try? Products.path("collections") else { return }
        BlockingRun.run(ProcessCommand(collections.path, ["local", "down"], environment: environment))
    }
}
