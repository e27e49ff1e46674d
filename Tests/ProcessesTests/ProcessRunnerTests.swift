import Foundation
import Processes
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The one process runner: exit status and output, process groups, SIGTERM then SIGKILL.
@Suite struct ProcessRunnerTests {
    private func temporaryFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID().uuidString)").path
    }

    @Test func collectsOutputAndTheExitStatus() async throws {
        let outcome = try await ProcessRunner.run(
            ProcessCommand("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"], environment: ["A": "b"]))
        #expect(outcome.status == 3 && outcome.signal == nil && !outcome.succeeded)
        #expect(outcome.stdout == "out\n" && outcome.stderr == "err\n")
        let found = try await ProcessRunner.run(ProcessCommand("sh", ["-c", "echo $A"], environment: ["A": "b"]))
        #expect(found.stdout == "b\n", "a name is looked up on PATH; the environment is exactly the one given")
        await #expect(throws: ProcessError.self) {
            try await ProcessRunner.run(ProcessCommand("/nonexistent/program"))
        }
    }

    @Test func aChildIgnoringSIGTERMIsKilledAfterTheGracePeriod() async throws {
        let log = temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: log) }
        let process = try await ProcessRunner.start(
            ProcessCommand("/bin/sh", ["-c", "trap '' TERM; echo ready; sleep 30"], output: .appendToFile(log)))
        try await waitUntil { (try? String(contentsOfFile: log, encoding: .utf8))?.contains("ready") == true }
        let start = ContinuousClock.now
        let outcome = await process.stop(grace: .milliseconds(500))
        #expect(outcome?.signal == SIGKILL && outcome?.status == 128 + SIGKILL)
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(!process.isRunning)
    }

    /// Stopping a process stops what it started: they share its process group.
    @Test func stoppingAProcessStopsItsGroup() async throws {
        let log = temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: log) }
        let process = try await ProcessRunner.start(
            ProcessCommand("/bin/sh", ["-c", "sleep 60 & echo $!; wait"], output: .appendToFile(log)))
        try await waitUntil { (try? String(contentsOfFile: log, encoding: .utf8))?.hasSuffix("\n") == true }
        let child = try #require(
            Int32((try String(contentsOfFile: log, encoding: .utf8)).trimmingCharacters(in: .newlines)))
        #expect(SessionStopper.members(of: process.pid).contains(child))
        let outcome = await process.stop(grace: .seconds(5))
        #expect(outcome?.signal == SIGTERM)
        try await waitUntil { !SessionStopper.members(of: process.pid).contains(child) }
    }

    @Test func aTimeoutStopsTheProcessAndThrows() async throws {
        let start = ContinuousClock.now
        let error = await #expect(throws: ProcessError.self) {
            try await ProcessRunner.run(ProcessCommand("/bin/sleep", ["30"]), timeout: .milliseconds(300))
        }
        #expect(error?.description.contains("ran over") == true)
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test func cancellingTheWaitStopsTheProcess() async throws {
        let run = Task { try await ProcessRunner.run(ProcessCommand("/bin/sleep", ["30"]), grace: .seconds(2)) }
        try await Task.sleep(for: .milliseconds(300))
        let start = ContinuousClock.now
        run.cancel()
        _ = try? await run.value
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    /// A daemon leads a session of its own and outlives its task; another process can stop the
    /// whole session, awaiting each member's exit.
    @Test func aDetachedSessionIsStoppedWhole() async throws {
        let log = temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: log) }
        let pid = try await ProcessRunner.detach(
            ProcessCommand("/bin/sh", ["-c", "sleep 60 & echo started; sleep 60"], output: .appendToFile(log)))
        try await waitUntil { (try? String(contentsOfFile: log, encoding: .utf8))?.contains("started") == true }
        #expect(SessionStopper.isSessionLeader(pid))
        try await waitUntil { SessionStopper.members(of: pid).count == 3 }
        let killed = await SessionStopper.stop(session: pid, grace: .seconds(5))
        #expect(killed.isEmpty, "each member ended on SIGTERM")
        #expect(SessionStopper.members(of: pid).isEmpty && !SessionStopper.isSessionLeader(pid))
    }

    private func waitUntil(_ condition: () -> Bool) async throws {
        let start = ContinuousClock.now
        while !condition() {
            guard ContinuousClock.now - start < .seconds(10) else {
                Issue.record("condition not met within 10 s")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
