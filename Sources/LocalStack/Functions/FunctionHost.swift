import Foundation
import Logging
import PipelineCore
import Processes

/// Runs one function process as Lambda does: the process gets `AWS_LAMBDA_RUNTIME_API` pointing
/// at a Runtime API this host serves on 127.0.0.1, and is handed one invocation at a time. An
/// invocation that overruns its timeout fails with `Sandbox.Timedout` and the process is killed
/// and started again, as is a process that exits or fails to initialise.
public actor FunctionHost {
    private struct Pending {
        var id: String
        var event: Data
        /// The `Lambda-Runtime-Trace-Id` it is handed out with.
        var traceID: String
        /// Set when a process takes it: the timeout runs from then, as on Lambda.
        var deadline: Date?
        var continuation: CheckedContinuation<InvocationOutcome, Never>
        /// The process generation it was handed to; nil while it waits for a process.
        var handedTo: Int?
    }

    /// The configuration.
    public let configuration: Configuration
    private let logger: Logger
    private var server: RuntimeAPIEndpoint?
    private var serverTask: Task<Void, any Error>?
    private var process: RunningProcess?
    private var generation = 0
    private var pending: Pending?
    private var nextWaiter: CheckedContinuation<RuntimeAPIEndpoint.Invocation?, Never>?
    private var stopping = false
    /// Set from killing a process until it has exited: a `next` still in flight from it gets nothing.
    private var replacing = false
    private var initFailure: (type: String, message: String)?
    /// Processes started, the first included.
    public private(set) var starts = 0
    /// The highest resident set (`VmHWM`) any of its processes reached, bytes, as last sampled.
    public private(set) var peakResidentBytes = 0
    private var sampler: Task<Void, Never>?

    /// Creates a host; ``start()`` starts it.
    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Starts the Runtime API and the function process.
    public func start() async throws {
        let server = RuntimeAPIEndpoint(host: self)
        let (ports, sink) = AsyncStream<Int>.makeStream()
        let logger = logger
        serverTask = Task { try await server.run(logger: logger) { sink.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            throw LocalStackError("the Runtime API for \(configuration.name) did not start")
        }
        self.server = server
        self.port = port
        try await launch()
        sampler = Task { [weak self] in
            while !Task.isCancelled {
                await self?.sampleMemory()
                try? await Task.sleep(for: Self.memoryInterval)
            }
        }
    }

    /// How often the process's memory is sampled (a process's peak lives in `VmHWM`, so a
    /// sample misses only what a process reached in the interval before it exited).
    public static let memoryInterval: Duration = .milliseconds(500)

    /// Reads the live process's `VmRSS` and `VmHWM`, keeps the peak, and writes the sample.
    /// - Returns: the sample.
    @discardableResult
    public func sampleMemory() -> FunctionMemory {
        let sample = FunctionMemory(
            sampling: process.flatMap { $0.isRunning ? $0.pid : nil }, function: configuration.name,
            host: configuration.logFile?.deletingPathExtension().lastPathComponent ?? configuration.name,
            previousPeak: peakResidentBytes)
        peakResidentBytes = sample.peakResidentBytes
        do {
            try configuration.memoryFolder.map(sample.save(in:))
        } catch {
            logger.warning("cannot write the memory sample", metadata: ["error": "\(error)"])
        }
        return sample
    }

    /// The Runtime API's port.
    public private(set) var port = 0

    /// Runs one invocation to its end.
    /// - Parameter traceID: the X-Ray trace header it belongs to; a new trace when nil, as
    ///   Lambda starts one for an invocation that comes without.
    public func invoke(_ event: Data, traceID: String? = nil) async -> InvocationOutcome {
        if stopping { return .failure(type: "Runtime.Stopped", message: "the local stack is stopping") }
        if let failure = initFailure, process == nil {
            return .failure(type: failure.type, message: failure.message)
        }
        let id = UUID().uuidString.lowercased()
        // A process that never asks for the invocation (stuck starting) fails it after Lambda's
        // 10 s init limit; the invocation's own timeout starts when a process takes it.
        let initLimit = Self.initLimit
        let waiting = Task { [weak self] in
            try await Task.sleep(for: initLimit)
            await self?.neverTaken(id)
        }
        defer { waiting.cancel() }
        return await withCheckedContinuation { continuation in
            pending = Pending(
                id: id, event: event, traceID: traceID ?? TraceHeader.make(), continuation: continuation)
            handOut()
        }
    }

    /// Whether ``stop()`` has been called: the host takes no more invocations.
    public var isStopping: Bool { stopping }

    /// Stops the process and the Runtime API.
    public func stop() async {
        stopping = true
        sampler?.cancel()
        sampleMemory()  // the peak of the process about to stop
        finish(.failure(type: "Runtime.Stopped", message: "the local stack is stopping"))
        nextWaiter?.resume(returning: nil)
        nextWaiter = nil
        if let process, process.isRunning {
            // SIGTERM to its group, SIGKILL after 3 s; its exit is awaited.
            await process.stop(grace: .seconds(3))
        }
        sampleMemory()  // the last word: no process, and the peak it reached
        // No request is left waiting on us, so the server shuts down at once.
        serverTask?.cancel()
        _ = await serverTask?.result
    }

    // MARK: Runtime API callbacks

    /// `GET next`: the pending invocation, once there is one; nil if the process has gone.
    func next() async -> RuntimeAPIEndpoint.Invocation? {
        // Only a live process that is not being replaced may take an invocation.
        guard !stopping, !replacing, process?.isRunning == true else { return nil }
        initFailure = nil
        if let invocation = takePending() { return invocation }
        nextWaiter?.resume(returning: nil)
        return await withCheckedContinuation { nextWaiter = $0 }
    }

    /// `POST response` or `error` for an invocation.
    func report(id: String, outcome: InvocationOutcome) -> Bool {
        guard pending?.id == id else { return false }
        finish(outcome)
        return true
    }

    /// `POST /runtime/init/error`: the process could not start; it exits and is started again.
    func reportInitError(type: String, message: String) {
        initFailure = (type, message)
        finish(.failure(type: type, message: "init failed: \(message)"))
    }

    /// How long an invocation may wait for a process to ask for it.
    public static let initLimit: Duration = .seconds(10)

    // MARK: Internals

    private func takePending() -> RuntimeAPIEndpoint.Invocation? {
        guard var current = pending, current.handedTo == nil else { return nil }
        let timeout = configuration.timeout
        let deadline = Date().addingTimeInterval(Double(timeout.milliseconds) / 1000)
        current.handedTo = generation
        current.deadline = deadline
        pending = current
        let id = current.id
        Task { [weak self] in
            try await Task.sleep(for: timeout)
            await self?.timedOut(id, deadline: deadline)
        }
        return RuntimeAPIEndpoint.Invocation(
            id: current.id, event: current.event, deadline: deadline,
            arn: "arn:aws:lambda:us-east-1:000000000000:function:\(configuration.name)", traceID: current.traceID)
    }

    private func handOut() {
        guard let waiter = nextWaiter, let invocation = takePending() else { return }
        nextWaiter = nil
        waiter.resume(returning: invocation)
    }

    private func finish(_ outcome: InvocationOutcome) {
        guard let current = pending else { return }
        pending = nil
        current.continuation.resume(returning: outcome)
    }

    private func timedOut(_ id: String, deadline: Date) {
        guard pending?.id == id, pending?.deadline == deadline else { return }
        let seconds = Double(configuration.timeout.milliseconds) / 1000
        logger.warning("invocation timed out; restarting the process", metadata: ["function": "\(configuration.name)"])
        finish(.failure(type: "Sandbox.Timedout", message: "Task timed out after \(seconds) seconds"))
        replaceProcess()
    }

    private func neverTaken(_ id: String) {
        guard pending?.id == id, pending?.handedTo == nil else { return }
        let seconds = Self.initLimit.milliseconds / 1000
        logger.warning(
            "no process asked for the invocation; restarting the process",
            metadata: ["function": "\(configuration.name)"])
        finish(
            .failure(
                type: "Runtime.InitTimeout",
                message: "\(configuration.name) did not ask for the invocation within \(seconds) s of it arriving"))
        replaceProcess()
    }

    private func replaceProcess() {
        if let process, process.isRunning {
            replacing = true
            process.signal(SIGKILL)
        }
    }

    private func exited(generation: Int, status: Int32) {
        guard generation == self.generation else { return }
        process = nil
        replacing = false
        nextWaiter?.resume(returning: nil)
        nextWaiter = nil
        // Only the invocation this process held fails; one still waiting goes to the next process.
        if pending?.handedTo == generation {
            finish(
                .failure(
                    type: "Runtime.ExitError",
                    message: "\(configuration.name) exited with status \(status) during the invocation"))
        }
        guard !stopping else { return }
        logger.warning(
            "function process exited; starting another",
            metadata: ["function": "\(configuration.name)", "status": "\(status)"])
        Task {
            // A process that fails at start is not restarted in a tight loop.
            if initFailure != nil { try? await Task.sleep(for: .seconds(1)) }
            try? await self.launch()
        }
    }

    private func launch() async throws {
        guard !stopping else { return }
        generation += 1
        starts += 1
        var environment = configuration.environment
        environment["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:\(port)"
        environment["AWS_LAMBDA_FUNCTION_NAME"] = configuration.name
        environment["AWS_LAMBDA_FUNCTION_TIMEOUT"] = "\(configuration.timeout.milliseconds / 1000)"
        let process = try await ProcessRunner.start(
            ProcessCommand(
                configuration.executable.path, environment: environment,
                output: configuration.logFile.map { .appendToFile($0.path) } ?? .discard))
        guard !stopping else {
            // stop() ran while it started: it must not outlive the host.
            await process.stop(grace: .seconds(3))
            return
        }
        self.process = process
        let generation = generation
        Task { [weak self] in
            let status = (try? await process.wait())?.status ?? -1
            await self?.exited(generation: generation, status: status)
        }
    }
}
