import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// One event from the Runtime API, with its context.
public struct LambdaInvocation: Sendable {
    /// The event JSON; empty when the event was over the limit the client keeps.
    public var event: Data
    /// The event's size in bytes as delivered, also when it was over the limit and not kept.
    public var size: Int
    /// The request id, deadline, function ARN and trace id.
    public var context: LambdaContext
}

/// Why talking to the Runtime API failed.
public struct LambdaRuntimeError: Error, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    /// The transport's error.
    public let underlying: (any Error)?

    init(_ message: String, underlying: (any Error)? = nil) {
        self.message = message
        self.underlying = underlying
    }

    public var description: String { underlying.map { "\(message): \($0)" } ?? message }
}

/// The Lambda Runtime API (`http://$AWS_LAMBDA_RUNTIME_API/2018-06-01`): fetch the next event,
/// post its response or error, or report an initialisation error.
public struct LambdaRuntimeClient: Sendable {
    /// `host:port` from `AWS_LAMBDA_RUNTIME_API`.
    public let address: String
    private let http = SharedHTTPClient.client

    /// Creates a client for `host:port`.
    public init(address: String) {
        self.address = address
    }

    private var base: String { "http://\(address)/2018-06-01/runtime" }

    /// Waits for the next event (a long poll without timeout; cancel the task to stop waiting).
    /// - Parameters:
    ///   - logger: the logger the context's logger derives from.
    ///   - maxEventBytes: the largest event kept; a larger one is read to its end and counted but
    ///     not kept, so that the caller can refuse it and the process stays within its memory.
    public func next(logger: Logger, maxEventBytes: Int = EventSizeLimit.invocationBytes) async throws
        -> LambdaInvocation
    {
        let request = HTTPClientRequest(url: "\(base)/invocation/next")
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, deadline: .distantFuture)
        } catch {
            throw LambdaRuntimeError("GET /runtime/invocation/next failed", underlying: error)
        }
        var body = ByteBuffer()
        var size = 0
        do {
            for try await chunk in response.body {
                size += chunk.readableBytes
                if size <= maxEventBytes { body.writeImmutableBuffer(chunk) }
            }
        } catch {
            throw LambdaRuntimeError("reading the next invocation's body failed", underlying: error)
        }
        guard response.status == .ok else {
            throw LambdaRuntimeError("GET /runtime/invocation/next answered \(response.status.code)")
        }
        let headers = response.headers
        guard let requestID = headers.first(name: "Lambda-Runtime-Aws-Request-Id"), !requestID.isEmpty else {
            throw LambdaRuntimeError("the next invocation has no Lambda-Runtime-Aws-Request-Id header")
        }
        let deadlineMs = headers.first(name: "Lambda-Runtime-Deadline-Ms").flatMap(Int64.init)
        let context = LambdaContext(
            requestID: requestID,
            deadline: deadlineMs.map { Date(timeIntervalSince1970: Double($0) / 1000) } ?? .distantFuture,
            invokedFunctionARN: headers.first(name: "Lambda-Runtime-Invoked-Function-Arn") ?? "",
            traceID: headers.first(name: "Lambda-Runtime-Trace-Id"), logger: logger)
        return LambdaInvocation(
            event: size <= maxEventBytes ? Data(buffer: body) : Data(), size: size, context: context)
    }

    /// Posts an invocation's response.
    public func respond(requestID: String, body: Data) async throws {
        try await post("invocation/\(requestID)/response", body: body, errorType: nil)
    }

    /// Posts an invocation's error; the Runtime API then reports it to the caller.
    public func fail(requestID: String, error: LambdaErrorBody) async throws {
        try await post("invocation/\(requestID)/error", body: error.json, errorType: error.errorType)
    }

    /// Reports an error before the first `next`; Lambda then restarts the environment.
    public func failInitialisation(_ error: LambdaErrorBody) async throws {
        try await post("init/error", body: error.json, errorType: error.errorType)
    }

    private func post(_ path: String, body: Data, errorType: String?) async throws {
        var request = HTTPClientRequest(url: "\(base)/\(path)")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        if let errorType { request.headers.add(name: "Lambda-Runtime-Function-Error-Type", value: errorType) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .seconds(30))
        } catch {
            throw LambdaRuntimeError("POST /runtime/\(path) failed", underlying: error)
        }
        let answer = try? await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(response.status.code) else {
            let text = answer.map { String(buffer: $0) } ?? ""
            throw LambdaRuntimeError("POST /runtime/\(path) answered \(response.status.code) \(text)")
        }
    }
}
