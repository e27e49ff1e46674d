import Foundation
import Logging
import PipelineCore
import Processes

/// `collections local up | down | status`: starts the local stack's services in the background,
/// provisions them from the template, and stops everything it started.
public struct StackControl: Sendable {
    /// The stack's files.
    public let paths: StackPaths
    let logger: Logger

    /// Creates the control for the stack in `paths.state`.
    public init(paths: StackPaths, logger: Logger) {
        self.paths = paths
        self.logger = logger
    }

    /// The running stack's state; nil when none is up.
    public func current() throws -> StackState? { try StackState.load(from: paths.state) }

    /// Brings the stack up, or reports the one already up. On any failure it stops what it started.
    /// - Parameter progress: called with a line per step.
    /// - Returns: the stack's state.
    public func up(_ options: StackOptions, progress: (String) -> Void) async throws -> StackState {
        if let state = try current() {
            let dead = state.processes.filter { !ManagedProcess(name: $0.key, pid: $0.value).isRunning }.map(\.key)
            if dead.isEmpty {
                progress("the stack is already up")
                return state
            }
            progress("a previous stack lost \(dead.sorted().joined(separator: ", ")): stopping its rest first")
            try await down(progress: progress)
        }
        try FileManager.default.createDirectory(at: paths.logs, withIntermediateDirectories: true)
        var started: [ManagedProcess] = []
        var startedPostgres = false
        do {
            let state = try await start(
                options, started: &started, startedPostgres: &startedPostgres, progress: progress)
            return state
        } catch {
            progress("setting up failed: stopping what was started")
            for process in started.reversed() { await process.stop() }
            if startedPostgres { _ = try? await script("postgres", ["stop"]) }
            try? FileManager.default.removeItem(at: StackState.file(in: paths.state))
            throw error
        }
    }

    private func start(
        _ options: StackOptions, started: inout [ManagedProcess], startedPostgres: inout Bool,
        progress: (String) -> Void
    ) async throws -> StackState {
        let template = try TemplateValue.parse(yaml: String(contentsOf: paths.template, encoding: .utf8))
        let resolver = try TemplateResolver(
            template: template,
            parameterValues: ["ArtifactBucket": "local", "UploadBucketName": options.bucket].merging(
                options.parameters
            ) { $1 },
            names: .init(stackName: LocalStackDefaults.stackName, region: LocalStackDefaults.region))
        let topology = try PipelineTopology(resolver: resolver)

        // PostgreSQL with pgvector, migrated.
        if (try? await script("postgres", ["status"])) == nil {
            progress("starting PostgreSQL (scripts/postgres start)")
            try await script("postgres", ["start"])
            startedPostgres = true
        }
        let databaseURL = try await script("postgres", ["url", options.database]).trimmingCharacters(
            in: .whitespacesAndNewlines)
        let database = try Database(url: databaseURL, logger: logger)
        let applied = try await database.closing { database in try await Migrator(database: database).migrate() }
        progress("PostgreSQL: database \(options.database), \(applied.count) migration(s) applied")

        // moto: S3, EventBridge, SQS, SSM.
        try await script("moto", ["install"])
        let motoPort = try LocalPorts.free(from: LocalStackDefaults.motoPort)
        try? FileManager.default.removeItem(at: Emulator.journal(in: paths))
        let moto = try await Emulator.launch(paths: paths, port: motoPort, environment: options.environment)
        started.append(moto)
        let endpointURL = "http://127.0.0.1:\(motoPort)"
        progress("moto (S3, EventBridge, SQS, SSM) on \(endpointURL)")

        // The stand-ins, for each API without a real key, and for Claude on Bedrock, which they serve
        // checking each function's signatures: temporary credentials with a session token, made now,
        // as Lambda gives a function its role's.
        let anthropicKey = options.environment["ANTHROPIC_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        let voyageKey = options.environment["VOYAGE_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        let usesBedrock = topology.functions.contains { $0.environment["COLLECTIONS_CLAUDE_PROVIDER"] == "bedrock" }
        let credentials = topology.functions.map { _ in Self.functionCredentials() }
        var standInsURL: String?
        if anthropicKey == nil || voyageKey == nil || usesBedrock {
            let port = try LocalPorts.free(from: LocalStackDefaults.standInsPort)
            let keys = credentials.flatMap { key in
                [
                    "--aws-credentials",
                    [key["AWS_ACCESS_KEY_ID"], key["AWS_SECRET_ACCESS_KEY"], key["AWS_SESSION_TOKEN"]]
                        .compactMap { $0 }.joined(separator: ":"),
                ]
            }
            let standIns = try await ManagedProcess.launch(
                name: "stand-ins", executable: paths.binaries.appendingPathComponent("collections").path,
                arguments: ["stand-ins", "--port", "\(port)", "--faults", options.standInFaults]
                    + ["--rate-limit", options.standInRateLimit] + keys,
                environment: options.environment, log: paths.logs.appendingPathComponent("stand-ins.log"))
            started.append(standIns)
            try await waitForPort(port, of: standIns, log: "stand-ins.log")
            standInsURL = "http://127.0.0.1:\(port)"
            progress(
                "stand-ins for \(anthropicKey == nil ? "Claude" : "")\(anthropicKey == nil && voyageKey == nil ? " and " : "")\(voyageKey == nil ? "Voyage" : "") on \(standInsURL!)"
            )
        }

        // Resources, as the template declares them.
        let client = StackState.emulatorClient()
        let endpoint = try AWSEndpoint(url: endpointURL, region: LocalStackDefaults.region, variable: "moto")
        var parameters: [String: String] = [:]
        for function in topology.functions {
            let env = function.environment
            if let name = env["COLLECTIONS_DATABASE_URL_PARAMETER"] { parameters[name] = databaseURL }
            if let name = env["COLLECTIONS_ANTHROPIC_API_KEY_PARAMETER"] {
                parameters[name] = anthropicKey ?? "stand-in"
            }
            if let name = env["COLLECTIONS_VOYAGE_API_KEY_PARAMETER"] { parameters[name] = voyageKey ?? "stand-in" }
        }
        let queues = try await Provisioner(client: client, endpoint: endpoint, stackName: LocalStackDefaults.stackName)
            .provision(topology, parameters: parameters)
        progress(
            "provisioned bucket \(topology.bucketName), bus \(topology.busName), \(topology.rules.count) rules, "
                + "\(topology.functions.count * 2) queues, \(parameters.count) SSM parameters")

        let local: [String: String] = [
            "AWS_REGION": LocalStackDefaults.region, "AWS_ACCESS_KEY_ID": LocalStackDefaults.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": LocalStackDefaults.secretAccessKey, "AWS_ENDPOINT_URL": endpointURL,
            "PATH": options.environment["PATH"] ?? "/usr/bin:/bin",
        ]
        var functions: [StackState.Function] = []
        for (function, keys) in zip(topology.functions, credentials) {
            var environment = function.environment.merging(local) { $1 }.merging(keys) { $1 }
            if let standInsURL, anthropicKey == nil { environment["ANTHROPIC_BASE_URL"] = standInsURL }
            if let standInsURL, usesBedrock { environment["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = standInsURL }
            if let standInsURL, voyageKey == nil { environment["VOYAGE_BASE_URL"] = standInsURL }
            // A real key with a base URL (a proxy, or stand-ins of your own): the functions use both.
            for (key, url) in [(anthropicKey, "ANTHROPIC_BASE_URL"), (voyageKey, "VOYAGE_BASE_URL")] {
                if key != nil, let value = options.environment[url], !value.isEmpty { environment[url] = value }
            }
            if let level = options.environment["LOG_LEVEL"] { environment["LOG_LEVEL"] = level }
            guard let queue = queues[function.logicalID] else { continue }
            // The function settles its own failed messages: the emulator's URL for its dead-letter
            // queue, and the retry delay `local up` was given.
            environment["COLLECTIONS_DEAD_LETTER_QUEUE_URL"] = queue.deadLetterURL
            environment["COLLECTIONS_RETRY_DELAY_SECONDS"] = String(
                format: "%.3f", Double(options.retryDelay.milliseconds) / 1000)
            functions.append(
                .init(
                    name: function.name, executable: function.executable, queueURL: queue.queueURL,
                    deadLetterURL: queue.deadLetterURL,
                    processes: options.processes[function.executable] ?? options.defaultProcesses
                        ?? function.eventSource.maximumConcurrency,
                    timeoutSeconds: function.timeoutSeconds, maxAttempts: function.queue.maxReceiveCount,
                    batchSize: function.eventSource.batchSize,
                    batchingWindowSeconds: function.eventSource.batchingWindowSeconds,
                    reportsBatchItemFailures: function.eventSource.reportsBatchItemFailures, environment: environment))
        }
        var clientEnvironment = local
        clientEnvironment.removeValue(forKey: "PATH")
        clientEnvironment["AWS_DEFAULT_REGION"] = LocalStackDefaults.region
        clientEnvironment["DATABASE_URL"] = databaseURL
        if let embedder = functions.first(where: { $0.environment["COLLECTIONS_VOYAGE_API_KEY_PARAMETER"] != nil }) {
            for name in [
                "COLLECTIONS_VOYAGE_API_KEY_PARAMETER", "COLLECTIONS_VOYAGE_MODEL", "COLLECTIONS_EMBEDDING_DIMENSIONS",
                "VOYAGE_BASE_URL",
            ] {
                clientEnvironment[name] = embedder.environment[name]
            }
        }
        var state = StackState(
            stackName: LocalStackDefaults.stackName, region: LocalStackDefaults.region, endpoint: endpointURL,
            bucket: topology.bucketName, bus: topology.busName, databaseURL: databaseURL, standInsURL: standInsURL,
            claude: anthropicKey == nil ? "stand-in" : "api", voyage: voyageKey == nil ? "stand-in" : "api",
            functions: functions, processes: Dictionary(uniqueKeysWithValues: started.map { ($0.name, $0.pid) }),
            startedPostgres: startedPostgres, clientEnvironment: clientEnvironment, home: paths.home.path)
        try state.save(to: paths.state)

        // The functions, fed from their queues.
        let ready = paths.state.appendingPathComponent("runner.ready")
        try? FileManager.default.removeItem(at: ready)
        let runner = try await ManagedProcess.launch(
            name: "runner", executable: paths.binaries.appendingPathComponent("collections").path,
            arguments: ["local", "run", "--state-dir", paths.state.path],
            environment: options.environment, log: paths.logs.appendingPathComponent("runner.log"))
        started.append(runner)
        state.processes["runner"] = runner.pid
        try state.save(to: paths.state)
        let begin = ContinuousClock.now
        while !FileManager.default.fileExists(atPath: ready.path) {
            guard runner.isRunning else { throw LocalStackError("the function runner exited: \(tail("runner.log"))") }
            guard ContinuousClock.now - begin < .seconds(60) else {
                throw LocalStackError("the function runner did not start within 60 s: \(tail("runner.log"))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        progress(
            "functions: "
                + functions.map {
                    "\($0.executable) ×\($0.processes) (batches of \($0.batchSize), timeout \($0.timeoutSeconds) s, "
                        + "\($0.maxAttempts) receives)"
                }
                .joined(separator: ", "))
        return state
    }

    /// Fresh credentials for one function, shaped like a role's temporary ones (the emulator
    /// checks none): the functions sign with a session token, as on Lambda.
    static func functionCredentials() -> [String: String] {
        func random(_ count: Int) -> String {
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
            return String((0..<count).map { _ in alphabet.randomElement()! })
        }
        return [
            "AWS_ACCESS_KEY_ID": "ASIA" + random(16).uppercased(), "AWS_SECRET_ACCESS_KEY": random(40),
            "AWS_SESSION_TOKEN": "IQoJb3JpZ2luX2VjE" + random(200),
        ]
    }

    /// Stops every process the stack started and forgets the stack; logs stay.
    public func down(progress: (String) -> Void) async throws {
        guard let state = try current() else {
            progress("no local stack is up")
            return
        }
        for name in ["runner", "stand-ins", "moto"] {
            // The runner restarts moto when it exits: its pid is read once the runner has stopped.
            let latest = name == "moto" ? (try? current())?.processes[name] : nil
            guard let pid = latest ?? state.processes[name] else { continue }
            let process = ManagedProcess(name: name, pid: pid)
            guard process.isRunning else { continue }
            let killed = await process.stop(grace: .seconds(15))
            progress(
                "stopped \(name)" + (killed.isEmpty ? "" : " (killed \(killed.count) process(es) that ignored SIGTERM)")
            )
        }
        if state.startedPostgres {
            try await script("postgres", ["stop"])
            progress("stopped PostgreSQL")
        }
        try? FileManager.default.removeItem(at: StackState.file(in: paths.state))
        try? FileManager.default.removeItem(at: paths.state.appendingPathComponent("runner.ready"))
    }

    /// Runs `scripts/NAME ARGS` and returns its output.
    /// - Throws: ``LocalStackError`` with its output when it fails.
    @discardableResult
    func script(_ name: String, _ arguments: [String]) async throws -> String {
        // To a file, not a pipe: a server the script starts (PostgreSQL) keeps its output open.
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("collections-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: capture) }
        let status = try await ProcessRunner.run(
            ProcessCommand(
                paths.home.appendingPathComponent("scripts/\(name)").path, arguments,
                environment: ProcessInfo.processInfo.environment, output: .appendToFile(capture.path))
        ).status
        let text = (try? String(contentsOf: capture, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw LocalStackError(
                "scripts/\(name) \(arguments.joined(separator: " ")) failed (status \(status)): \(text)")
        }
        return text
    }

    private func waitForPort(_ port: Int, of process: ManagedProcess, log: String) async throws {
        let begin = ContinuousClock.now
        while ContinuousClock.now - begin < .seconds(60) {
            if LocalPorts.inUse(port) { return }
            guard process.isRunning else { throw LocalStackError("\(process.name) exited: \(tail(log))") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw LocalStackError("\(process.name) did not listen on \(port) within 60 s: \(tail(log))")
    }

    /// The last lines of a log in the state folder.
    func tail(_ log: String, lines: Int = 15) -> String {
        let file = paths.logs.appendingPathComponent(log)
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return "last lines of \(file.path):\n" + text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}
