import Foundation

/// Decides what an in-test Lambda Runtime API answers at each endpoint.
public protocol RuntimeAPIBehavior: Sendable {
    /// `GET /runtime/invocation/next`: an event (with the Runtime API's headers), or hold the
    /// request open with `handle.hold()` as Lambda does between invocations.
    func next(_ handle: TestHTTPServer.Handle) async throws -> TestHTTPResponse
    /// `POST /runtime/invocation/{id}/response`.
    func response(requestID: String, body: Data) async -> TestHTTPResponse
    /// `POST /runtime/invocation/{id}/error`, with the `Lambda-Runtime-Function-Error-Type` header.
    func error(requestID: String, errorType: String?, body: Data) async -> TestHTTPResponse
    /// `POST /runtime/init/error`.
    func initError(errorType: String?, body: Data) async -> TestHTTPResponse
}

/// An in-test Lambda Runtime API (`/2018-06-01/runtime/...`) driven by a behaviour.
public enum RuntimeAPIServer {
    /// Serves `behavior` while `body` runs with the `host:port` to put in `AWS_LAMBDA_RUNTIME_API`.
    public static func with<T: Sendable>(
        _ behavior: some RuntimeAPIBehavior, body: (String) async throws -> T
    ) async throws -> T {
        try await TestHTTPServer.with(
            { request, handle in
                let prefix = "/2018-06-01/runtime/"
                guard request.path.hasPrefix(prefix) else { return .json(404, #"{"errorType":"NotFound"}"#) }
                let parts = request.path.dropFirst(prefix.count).split(separator: "/").map(String.init)
                let errorType = request.headers["lambda-runtime-function-error-type"]
                switch (request.method, parts.count, parts.first, parts.last) {
                case ("GET", 2, "invocation", "next"):
                    return try await behavior.next(handle)
                case ("POST", 3, "invocation", "response"):
                    return await behavior.response(requestID: parts[1], body: request.body)
                case ("POST", 3, "invocation", "error"):
                    return await behavior.error(requestID: parts[1], errorType: errorType, body: request.body)
                case ("POST", 2, "init", "error"):
                    return await behavior.initError(errorType: errorType, body: request.body)
                default:
                    return .json(404, #"{"errorType":"NotFound"}"#)
                }
            }, body: body)
    }
}

/// A behaviour that hands out a list of events in order, then holds `next` open, and records
/// every response and error it is sent.
public final class ScriptedRuntime: RuntimeAPIBehavior {
    /// One event to hand out.
    public struct Invocation: Sendable {
        /// The request id.
        public var id: String
        /// The event JSON.
        public var event: Data
        /// The deadline in milliseconds since 1970.
        public var deadlineMs: Int64
        /// The invoked function ARN.
        public var arn: String
        /// The trace header.
        public var traceID: String?

        /// Creates one, with a deadline a minute from now.
        public init(
            id: String, event: Data, arn: String = "arn:aws:lambda:us-east-1:123456789012:function:test",
            traceID: String? = nil, deadlineMs: Int64 = Int64((Date().timeIntervalSince1970 + 60) * 1000)
        ) {
            self.id = id
            self.event = event
            self.deadlineMs = deadlineMs
            self.arn = arn
            self.traceID = traceID
        }
    }

    /// What the function reported.
    public enum Report: Sendable, Equatable {
        /// A response body for a request id.
        case response(id: String, body: String)
        /// An error for a request id, with its error-type header.
        case error(id: String, type: String?, body: String)
        /// An initialisation error.
        case initError(type: String?, body: String)
    }

    private let invocations: [Invocation]
    private let handedOut = Recorder<String>()
    /// Every report, in order.
    public let reports = Recorder<Report>()
    /// How many times `next` was asked.
    public let nextCalls = Recorder<Void>()

    /// Creates a behaviour handing out `invocations`.
    public init(_ invocations: [Invocation]) {
        self.invocations = invocations
    }

    public func next(_ handle: TestHTTPServer.Handle) async throws -> TestHTTPResponse {
        let index = nextCalls.append(()) - 1
        guard index < invocations.count else { try await handle.hold() }
        let invocation = invocations[index]
        handedOut.append(invocation.id)
        var headers = [
            "Lambda-Runtime-Aws-Request-Id": invocation.id, "Lambda-Runtime-Deadline-Ms": "\(invocation.deadlineMs)",
            "Lambda-Runtime-Invoked-Function-Arn": invocation.arn,
        ]
        if let trace = invocation.traceID { headers["Lambda-Runtime-Trace-Id"] = trace }
        return TestHTTPResponse(status: 200, headers: headers, body: invocation.event)
    }

    public func response(requestID: String, body: Data) async -> TestHTTPResponse {
        reports.append(.response(id: requestID, body: String(decoding: body, as: UTF8.self)))
        return .json(202, #"{"status":"OK"}"#)
    }

    public func error(requestID: String, errorType: String?, body: Data) async -> TestHTTPResponse {
        reports.append(.error(id: requestID, type: errorType, body: String(decoding: body, as: UTF8.self)))
        return .json(202, #"{"status":"OK"}"#)
    }

    public func initError(errorType: String?, body: Data) async -> TestHTTPResponse {
        reports.append(.initError(type: errorType, body: String(decoding: body, as: UTF8.self)))
        return .json(202, #"{"status":"OK"}"#)
    }

    /// Waits until at least `count` reports arrived (at most `timeout`).
    public func waitForReports(_ count: Int, timeout: Duration = .seconds(60)) async throws -> [Report] {
        let start = ContinuousClock.now
        while reports.count < count {
            guard ContinuousClock.now - start < timeout else {
                throw TestSetupError("only \(reports.count) of \(count) reports after \(timeout): \(reports.all)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return reports.all
    }
}
