import Foundation

/// The stack's moto server. moto keeps everything in memory, so it runs with its request
/// recorder on: every request it receives is appended to ``journal(in:)``, from which
/// ``EmulatorJournal`` rebuilds the state after a restart (see ``EmulatorWatch``).
enum Emulator {
    /// The journal of the requests that reached the stack's moto.
    static func journal(in paths: StackPaths) -> URL { paths.state.appendingPathComponent("moto-journal.jsonl") }

    /// Starts moto on `port`, recording to the journal, and returns once it listens.
    /// - Parameter environment: the caller's; AWS settings are removed (moto runs botocore inside).
    /// - Throws: ``LocalStackError`` when it exits or does not listen within 60 s.
    static func launch(paths: StackPaths, port: Int, environment: [String: String]) async throws -> ManagedProcess {
        var motoEnvironment = environment.filter { !$0.key.hasPrefix("AWS_") && !$0.key.hasPrefix("MOTO_") }
        motoEnvironment.removeValue(forKey: "INITIAL_NO_AUTH_ACTION_COUNT")
        motoEnvironment["AWS_CONFIG_FILE"] = "/dev/null"
        motoEnvironment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
        motoEnvironment["AWS_EC2_METADATA_DISABLED"] = "true"
        motoEnvironment["MOTO_ENABLE_RECORDING"] = "true"
        // The journal holds what the stack stored in SSM (the database password, API keys):
        // readable by its owner only, as stack.json is.
        let journal = Self.journal(in: paths)
        motoEnvironment["MOTO_RECORDER_FILEPATH"] = journal.path
        if !FileManager.default.fileExists(atPath: journal.path) {
            FileManager.default.createFile(atPath: journal.path, contents: nil)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: journal.path)
        let log = paths.logs.appendingPathComponent("moto.log")
        let moto = try await ManagedProcess.launch(
            // Through scripts/lib/moto_rules.py: moto with CloudFormation's rules, and EventBridge
            // passing each entry's TraceHeader on to the queues.
            name: "moto", executable: paths.venv.appendingPathComponent("bin/python").path,
            arguments: [
                paths.home.appendingPathComponent("scripts/lib/moto_rules.py").path, "-H", "127.0.0.1", "-p", "\(port)",
            ], environment: motoEnvironment, log: log)
        let begin = ContinuousClock.now
        while ContinuousClock.now - begin < .seconds(60) {
            if LocalPorts.inUse(port) { return moto }
            guard moto.isRunning else { throw LocalStackError("moto exited: \(tail(log))") }
            try await Task.sleep(for: .milliseconds(50))
        }
        await moto.stop()
        throw LocalStackError("moto did not listen on \(port) within 60 s: \(tail(log))")
    }

    private static func tail(_ log: URL) -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return "last lines of \(log.path):\n" + text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }
}
