import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import PipelineCore

/// The Claude and Voyage stand-ins on one HTTP server: `POST /v1/messages`, Bedrock's
/// `POST /model/{modelId}/invoke` and `POST /v1/embeddings`, with faults injected as a
/// ``FaultPlan`` says, rate limits enforced as ``RateLimits`` say, and `GET /stand-ins/stats`
/// counting requests, faults and throttled requests. Every answer carries a `request-id` header.
public struct StandInServer: Sendable {
    /// The Messages API stand-in.
    public var messages = MessagesStandIn()
    /// The embeddings stand-in.
    public var embeddings = EmbeddingsStandIn()
    /// Claude on Bedrock, verifying signatures against the credentials it was given.
    public var bedrock: BedrockStandIn
    /// The faults to inject.
    public var faults: FaultPlan { injector.plan }
    /// The rate limits enforced.
    public var rateLimits: RateLimits { limiter.limits }
    private let injector: FaultInjector
    private let limiter: RateLimiter

    /// Creates a server.
    /// - Parameters:
    ///   - faults: what to inject.
    ///   - rateLimits: the limits to enforce (Bedrock's route counts against Claude's).
    ///   - clock: the time the limits are measured in.
    ///   - awsCredentials: the keys Bedrock requests must be signed with (none: every one is refused).
    public init(
        faults: FaultPlan = .none, rateLimits: RateLimits = .none, clock: RateLimitClock = .system(),
        awsCredentials: [AWSCredentials] = []
    ) {
        injector = FaultInjector(plan: faults)
        limiter = RateLimiter(limits: rateLimits, clock: clock)
        bedrock = BedrockStandIn(credentials: awsCredentials)
    }

    /// One HTTP answer.
    public struct Answer: Sendable {
        /// The status code.
        public var status: Int
        /// Headers beyond `content-type` and `request-id`.
        public var headers: [(String, String)] = []
        /// The JSON body.
        public var body: Data
    }

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
                // HTTP/1.1's Host header arrives as the request's authority; SigV4 signs it as `host`.
                if let authority = request.head.authority { headers["host"] = authority }
                let requestID = StandInIDs.make("req_")
                let answer = try await respond(
                    method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
                    headers: headers, body: body, requestID: requestID, logger: logger)
                var fields = HTTPFields()
                fields[.contentType] = "application/json"
                fields[HTTPField.Name("request-id")!] = requestID
                for (name, value) in answer.headers { fields[HTTPField.Name(name)!] = value }
                return Response(
                    status: .init(code: answer.status), headers: fields,
                    body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
            },
            configuration: .init(address: .hostname(host, port: port), serverName: "collections-stand-ins"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger)
        try await app.run()
    }

    /// Answers one HTTP request: the stats route, or a model route after its latency, fault and
    /// rate limit. An injected fault costs the rate limits nothing; a request that arrives when the
    /// requests bucket is empty is refused before it is answered, and one whose answer's tokens do
    /// not fit is refused after (the stand-in counts tokens as its `usage` reports them).
    public func respond(
        method: String, path: String, query: String = "", headers: [String: String], body: Data, requestID: String,
        logger: Logger
    ) async throws -> Answer {
        if method == "GET", path == "/stand-ins/stats" { return try await statistics() }
        let arrival = limiter.clock.micros
        let plan = injector.plan
        if plan.latency > .zero { try await Task.sleep(for: plan.latency) }
        let isBedrock = method == "POST" && BedrockStandIn.isInvokePath(path)
        let route = isBedrock ? Self.bedrockRoute : path
        let isModelRoute = method == "POST" && (isBedrock || ["/v1/messages", "/v1/embeddings"].contains(path))
        switch isModelRoute ? await injector.next(route: route) : nil {
        case .hang:
            logger.info("injected: hang", metadata: ["path": "\(path)", "request_id": "\(requestID)"])
            try await Task.sleep(for: plan.hangFor)
        case .status(let status):
            logger.info("injected: \(status)", metadata: ["path": "\(path)", "request_id": "\(requestID)"])
            return injectedFailure(status, path: route, requestID: requestID)
        case nil:
            break
        }
        let service = isModelRoute ? RateLimitAnswers.service(route: route) : nil
        if let service,
            let decision = await limiter.decide(service, route: route, tokens: [:], arrival: arrival, commit: false),
            !decision.admitted
        {
            logger.info("rate limited", metadata: ["path": "\(path)", "request_id": "\(requestID)"])
            return RateLimitAnswers.refusal(route: route, decision: decision, requestID: requestID)
        }
        var answer: Answer
        if isBedrock {
            let bedrockAnswer = await bedrock.respond(
                method: method, path: path, query: query, headers: headers, body: body, requestID: requestID)
            answer = Answer(status: bedrockAnswer.status, headers: bedrockAnswer.headers, body: bedrockAnswer.body)
        } else {
            let (status, json) = await self.answer(
                method: method, path: path, headers: headers, body: body, requestID: requestID)
            answer = Answer(status: status, body: json)
        }
        guard let service,
            let decision = await limiter.decide(
                service, route: route, tokens: RateLimitAnswers.tokens(route: route, body: answer.body),
                arrival: arrival, commit: true)
        else { return answer }
        guard decision.admitted else {
            logger.info("rate limited", metadata: ["path": "\(path)", "request_id": "\(requestID)"])
            return RateLimitAnswers.refusal(route: route, decision: decision, requestID: requestID)
        }
        answer.headers += RateLimitAnswers.headers(route: route, decision: decision)
        return answer
    }

    /// Routes one request without faults; returns the status and body.
    public func answer(
        method: String, path: String, headers: [String: String], body: Data, requestID: String? = nil
    ) async -> (Int, Data) {
        let requestID = requestID ?? StandInIDs.make("req_")
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

    /// The route Bedrock's requests are counted under.
    public static let bedrockRoute = "/model/invoke"

    /// An injected failure in the route's error shape.
    private func injectedFailure(_ status: Int, path: String, requestID: String) -> Answer {
        if path == Self.bedrockRoute {
            // ThrottlingException 429, ServiceUnavailableException 503 (Bedrock has no 529), InternalServerException 500.
            let (code, type) =
                switch status {
                case 429: (429, "ThrottlingException")
                case 529: (503, "ServiceUnavailableException")
                default: (500, "InternalServerException")
                }
            let answer = BedrockStandIn.error(code, type, "\(type) (injected).", requestID: requestID)
            return Answer(status: answer.status, headers: answer.headers, body: answer.body)
        }
        let isVoyage = path == "/v1/embeddings"
        let (code, type, message): (Int, String, String) =
            switch status {
            case 429: (429, "rate_limit_error", "Number of request tokens has exceeded your rate limit (injected).")
            case 529:
                isVoyage
                    ? (503, "api_error", "The server is overloaded or not ready yet (injected).")
                    : (529, "overloaded_error", "Overloaded (injected).")
            default: (500, "api_error", "Internal server error (injected).")
            }
        let error = APIErrorResponse(status: code, type: type, message: message)
        var answer = Answer(status: code, body: isVoyage ? error.voyageBody : error.anthropicBody(requestID: requestID))
        if code == 429 {
            let wait = injector.plan.retryAfter
            answer.headers = [
                ("retry-after-ms", "\(wait.milliseconds)"), ("retry-after", "\((wait.milliseconds + 999) / 1000)"),
            ]
        }
        return answer
    }

    private func statistics() async throws -> Answer {
        let (requests, faults) = await injector.statistics()
        let body: [String: Any] = [
            "plan": injector.plan.description, "requests": requests, "faults": faults,
            "rate_limits": limiter.limits.description, "throttled": await limiter.throttled,
        ]
        return Answer(status: 200, body: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]))
    }
}
