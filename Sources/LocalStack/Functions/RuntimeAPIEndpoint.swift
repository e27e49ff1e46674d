import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The Lambda Runtime API (`/2018-06-01/runtime/...`) for one ``FunctionHost``, on 127.0.0.1.
struct RuntimeAPIEndpoint: Sendable {
    /// An invocation handed to the function.
    struct Invocation: Sendable {
        var id: String
        var event: Data
        var deadline: Date
        var arn: String
        var traceID: String
    }

    let host: FunctionHost

    /// Serves on a free port until the task is cancelled; `onListening` gets the port.
    func run(logger: Logger, onListening: @escaping @Sendable (Int) async -> Void) async throws {
        let host = host
        let app = Application(
            responder: CallbackResponder<BasicRequestContext> { request, _ in
                var request = request
                let body = Data(buffer: try await request.collectBody(upTo: 8 << 20))
                let errorType = request.headers[HTTPField.Name("Lambda-Runtime-Function-Error-Type")!]
                return await Self.route(
                    method: request.method.rawValue, path: request.uri.path, errorType: errorType, body: body,
                    host: host)
            },
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "collections-runtime-api"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await app.run()
    }

    private static func route(method: String, path: String, errorType: String?, body: Data, host: FunctionHost)
        async -> Response
    {
        let prefix = "/2018-06-01/runtime/"
        guard path.hasPrefix(prefix) else { return json(404, ["errorType": "NotFound"]) }
        let parts = path.dropFirst(prefix.count).split(separator: "/").map(String.init)
        switch (method, parts.count, parts.first, parts.last) {
        case ("GET", 2, "invocation", "next"):
            guard let invocation = await host.next() else {
                return json(410, ["errorType": "Gone", "errorMessage": "this process was replaced"])
            }
            var fields = HTTPFields()
            fields[.contentType] = "application/json"
            fields[HTTPField.Name("Lambda-Runtime-Aws-Request-Id")!] = invocation.id
            fields[HTTPField.Name("Lambda-Runtime-Deadline-Ms")!] =
                "\(Int64(invocation.deadline.timeIntervalSince1970 * 1000))"
            fields[HTTPField.Name("Lambda-Runtime-Invoked-Function-Arn")!] = invocation.arn
            fields[HTTPField.Name("Lambda-Runtime-Trace-Id")!] = invocation.traceID
            return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: invocation.event)))
        case ("POST", 3, "invocation", "response"):
            let known = await host.report(id: parts[1], outcome: .success(body))
            return known ? json(202, ["status": "OK"]) : unknown(parts[1])
        case ("POST", 3, "invocation", "error"):
            let (type, message) = errorFields(body, header: errorType)
            let known = await host.report(id: parts[1], outcome: .failure(type: type, message: message))
            return known ? json(202, ["status": "OK"]) : unknown(parts[1])
        case ("POST", 2, "init", "error"):
            let (type, message) = errorFields(body, header: errorType)
            await host.reportInitError(type: type, message: message)
            return json(202, ["status": "OK"])
        default:
            return json(404, ["errorType": "NotFound"])
        }
    }

    /// `errorType` and `errorMessage` from an error body, the header's type winning.
    static func errorFields(_ body: Data, header: String?) -> (String, String) {
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        let type = header ?? object?["errorType"] as? String ?? "Unknown"
        let message = object?["errorMessage"] as? String ?? String(decoding: body.prefix(1000), as: UTF8.self)
        return (type, message)
    }

    private static func unknown(_ id: String) -> Response {
        json(400, ["errorType": "InvalidRequestID", "errorMessage": "no invocation \(id) is waiting"])
    }

    private static func json(_ status: Int, _ object: [String: String]) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
