import Logging
import PipelineCore
import StandIns

/// Runs the Claude and Voyage stand-ins on a free loopback port while `body` runs with their
/// base URL (`http://127.0.0.1:PORT`).
/// - Throws: ``TestSetupError`` when the server does not start, or what `body` throws.
public func withStandIns<T: Sendable>(
    faults: FaultPlan = .none, rateLimits: RateLimits = .none, clock: RateLimitClock = .system(),
    awsCredentials: [AWSCredentials] = [], _ body: (String) async throws -> T
) async throws -> T {
    let (ports, sink) = AsyncStream<Int>.makeStream()
    var logger = Logger(label: "stand-ins")
    logger.logLevel = .critical
    let server = Task {
        try await StandInServer(faults: faults, rateLimits: rateLimits, clock: clock, awsCredentials: awsCredentials)
            .run(port: 0, logger: logger) {
                sink.yield($0)
            }
    }
    defer { server.cancel() }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else { throw TestSetupError("the stand-ins did not start") }
    return try await body("http://127.0.0.1:\(port)")
}
