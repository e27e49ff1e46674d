import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A request as a test server saw it.
public struct TestHTTPRequest: Sendable {
    /// `GET`, `POST`, ...
    public var method: String
    /// The path and query as sent.
    public var path: String
    /// Header values by lowercased name.
    public var headers: [String: String]
    /// The body.
    public var body: Data

    /// The body as text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A test server's answer.
public struct TestHTTPResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Headers to send.
    public var headers: [String: String]
    /// The body.
    public var body: Data

    /// Creates an answer.
    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON answer.
    public static func json(_ status: Int, _ text: String, headers: [String: String] = [:]) -> TestHTTPResponse {
        TestHTTPResponse(
            status: status, headers: headers.merging(["content-type": "application/json"]) { $1 },
            body: Data(text.utf8))
    }
}

/// An HTTP server on 127.0.0.1 and a free port, for the life of a test body. Handlers that hold a
/// request open (a long poll) should wait with ``TestHTTPServer/Handle/hold()`` so that the server
/// can close when the body ends.
public enum TestHTTPServer {
    /// What a handler can ask of its server.
    public final class Handle: Sendable {
        private let closed = Mutex(false)

        /// Waits until the server closes, then throws `CancellationError`.
        public func hold() async throws -> Never {
            while !closed.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
            throw CancellationError()
        }

        func close() { closed.withLock { $0 = true } }
    }

    /// Serves `handler` while `body` runs with the server's `host:port`.
    public static func with<T: Sendable>(
        _ handler: @escaping @Sendable (TestHTTPRequest, Handle) async throws -> TestHTTPResponse,
        body: (String) async throws -> T
    ) async throws -> T {
        let handle = Handle()
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "test-http-server")
        logger.logLevel = .critical
        let app = Application(
            responder: CallbackResponder<BasicRequestContext> { request, _ in
                var request = request
                let bytes = try await request.collectBody(upTo: 64 << 20)
                var headers: [String: String] = [:]
                for field in request.headers { headers[field.name.canonicalName] = field.value }
                let seen = TestHTTPRequest(
                    method: request.method.rawValue, path: request.uri.description, headers: headers,
                    body: Data(buffer: bytes))
                let answer = try await handler(seen, handle)
                var fields = HTTPFields()
                for (name, value) in answer.headers {
                    if let name = HTTPField.Name(name) { fields[name] = value }
                }
                return Response(
                    status: .init(code: answer.status), headers: fields,
                    body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
            },
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portSink.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw TestSetupError("test server did not start") }
            do {
                let result = try await body("127.0.0.1:\(port)")
                handle.close()
                group.cancelAll()
                return result
            } catch {
                handle.close()
                group.cancelAll()
                throw error
            }
        }
    }
}
