import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The Claude and Voyage stand-ins on one HTTP server: `POST /v1/messages` and
/// `POST /v1/embeddings`. Every answer carries a `request-id` header.
public struct StandInServer: Sendable {
    /// The Messages API stand-in.
    public var messages = MessagesStandIn()
    /// The embeddings stand-in.
    public var embeddings = EmbeddingsStandIn()

    /// Creates a server.
    public init() {}

    /// Serves on `host:port` (port 0 picks a free one) until the task is cancelled.
    /// - Parameter onListening: called with the bound port once the server is listening.
    public func run(
        host: String = "127.0.0.1", port: Int, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let app = Application(
            responder: CallbackResponder<BasicRequestContext> { request, _ in
                var request = request
                let body = Data(buffer: try await request.collectBody(upTo: 32 << 20))
                var headers: [String: String] = [:]
                for field in request.headers { headers[field.name.canonicalName] = field.value }
                let (status, json) = await answer(
                    method: request.method.rawValue, path: request.uri.path, headers: headers, body: body)
                var fields = HTTPFields()
                fields[.contentType] = "application/json"
                fields[HTTPField.Name("request-id")!] = StandInIDs.make("req_")
                return Response(
                    status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: json)))
            },
            configuration: .init(address: .hostname(host, port: port), serverName: "collections-stand-ins"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger)
        try await app.run()
    }

    /// Routes one request; returns the status and body.
    public func answer(method: String, path: String, headers: [String: String], body: Data) async -> (Int, Data) {
        let requestID = StandInIDs.make("req_")
        switch (method, path) {
        case ("POST", "/v1/messages"):
            do {
                return (200, try await messages.respond(headers: headers, body: body))
            } catch let error as APIErrorResponse {
                return (error.status, error.anthropicBody(requestID: requestID))
            } catch {
                let failure = APIErrorResponse(status: 500, type: "api_error", message: "\(error)")
                return (500, failure.anthropicBody(requestID: requestID))
            }
        case ("POST", "/v1/embeddings"):
            do {
                return (200, try await embeddings.respond(headers: headers, body: body))
            } catch let error as APIErrorResponse {
                return (error.status, error.voyageBody)
            } catch {
                return (500, APIErrorResponse(status: 500, type: "api_error", message: "\(error)").voyageBody)
            }
        default:
            return (
                404,
                APIErrorResponse(status: 404, type: "not_found_error", message: "no route for \(method) \(path)")
                    .anthropicBody(requestID: requestID)
            )
        }
    }
}
