import Foundation
import Logging

/// The entry point of each function binary.
///
/// With `AWS_LAMBDA_RUNTIME_API` set, it serves the Runtime API: set-up errors go to
/// `/runtime/init/error` and the process exits 1; SIGTERM ends the loop and the process exits 0.
/// Without it, `--event FILE` runs one invocation locally (see ``LocalInvocation``).
public enum Lambda {
    /// Builds the handler once, then serves invocations.
    /// - Parameters:
    ///   - function: the function's name, for logs and usage text.
    ///   - setUp: reads configuration and creates clients, once per process; may throw.
    public static func main<Output: Encodable & SendableMetatype>(
        function: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        setUp: () async throws -> @Sendable (Data, LambdaContext) async throws -> Output
    ) async -> Never {
        JSONLogHandler.bootstrap()
        let logger = Logger(label: function)
        guard let address = environment["AWS_LAMBDA_RUNTIME_API"], !address.isEmpty else {
            await LocalInvocation.main(function: function, logger: logger, setUp: setUp)
        }
        let client = LambdaRuntimeClient(address: address)
        let handler: @Sendable (Data, LambdaContext) async throws -> Output
        do {
            handler = try await setUp()
        } catch {
            logger.critical("initialisation failed", metadata: ["error": "\(error)"])
            do {
                try await client.failInitialisation(LambdaErrorBody(error))
            } catch {
                logger.critical("cannot report the initialisation error", metadata: ["error": "\(error)"])
            }
            exit(1)
        }
        let runtime = LambdaRuntime(client: client, logger: logger)
        runtime.stopOnTermination()
        do {
            try await runtime.run { event, context in
                try PipelineJSON.encoder.encode(try await handler(event, context))
            }
            exit(0)
        } catch {
            logger.critical("runtime API failed", metadata: ["error": "\(error)"])
            exit(1)
        }
    }
}
