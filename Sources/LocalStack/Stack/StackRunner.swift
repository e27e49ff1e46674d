import Foundation
import Logging
import PipelineCore

/// The stack's function runner (`collections local run`, started by `up`): for each function,
/// its processes behind local Runtime APIs, fed in batches from its queue by a ``QueueWorker``
/// (its event source mapping), until cancelled.
public struct StackRunner: Sendable {
    let state: StackState
    let paths: StackPaths
    let logger: Logger

    /// Creates a runner.
    public init(state: StackState, paths: StackPaths, logger: Logger) {
        self.state = state
        self.paths = paths
        self.logger = logger
    }

    /// Starts every process, then feeds them until the task is cancelled; then stops them all.
    /// - Throws: ``LocalStackError`` when a binary is missing or a process cannot start.
    public func run() async throws {
        let sqs = try state.sqs()
        var hosts: [String: [FunctionHost]] = [:]
        // Memory samples are this run's only.
        try? FileManager.default.removeItem(at: FunctionMemory.folder(in: paths.state))
        do {
            for function in state.functions {
                let executable = paths.binaries.appendingPathComponent(function.executable)
                guard FileManager.default.isExecutableFile(atPath: executable.path) else {
                    throw LocalStackError("\(executable.path) is missing: build it with `swift build`")
                }
                for index in 1...max(1, function.processes) {
                    let host = FunctionHost(
                        configuration: .init(
                            name: function.name, executable: executable, environment: function.environment,
                            timeout: .seconds(function.timeoutSeconds),
                            logFile: paths.logs.appendingPathComponent("\(function.executable)-\(index).log"),
                            memoryFolder: FunctionMemory.folder(in: paths.state)),
                        logger: logger)
                    try await host.start()
                    hosts[function.name, default: []].append(host)
                }
            }
        } catch {
            for host in hosts.values.flatMap({ $0 }) { await host.stop() }
            throw error
        }
        logger.info("functions running", metadata: ["processes": "\(hosts.values.map(\.count).reduce(0, +))"])
        // `local up` waits for this file.
        let ready = paths.state.appendingPathComponent("runner.ready")
        FileManager.default.createFile(atPath: ready.path, contents: Data("\(getpid())\n".utf8))
        defer { try? FileManager.default.removeItem(at: ready) }
        let all = hosts.values.flatMap { $0 }
        await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { group in
                if let pid = state.processes["moto"], let endpoint = URL(string: state.endpoint) {
                    let watch = EmulatorWatch(
                        paths: paths, endpoint: endpoint, environment: ProcessInfo.processInfo.environment,
                        logger: logger)
                    group.addTask { await watch.run(pid: pid) }
                }
                for function in state.functions {
                    let worker = QueueWorker(
                        sqs: sqs,
                        source: .init(
                            queueURL: function.queueURL, batchSize: function.batchSize,
                            batchingWindow: .seconds(function.batchingWindowSeconds),
                            reportsBatchItemFailures: function.reportsBatchItemFailures),
                        hosts: hosts[function.name] ?? [], logger: logger)
                    group.addTask { await worker.run() }
                }
            }
        } onCancel: {
            // Stopping the hosts first ends running invocations at once; their events go back
            // to the queues (visible again) for the next start instead of waiting out a timeout.
            Task { for host in all { await host.stop() } }
        }
        for host in all { await host.stop() }
        logger.info("functions stopped")
    }
}

/// Fixed values of the local stack.
public enum LocalStackDefaults {
    /// The access key clients use against the emulator (which checks none).
    public static let accessKeyID = "collections-local"
    /// The secret key that goes with it.
    public static let secretAccessKey = "local"
    /// The region.
    public static let region = "us-east-1"
    /// The stack name, prefix of function and queue names.
    public static let stackName = "collections-local"
    /// The emulator's preferred port.
    public static let motoPort = 54370
    /// The stand-ins' preferred port.
    public static let standInsPort = 54380
}
