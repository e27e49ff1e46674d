import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Sends signed requests to AWS services over one shared HTTP client. Throttling, 5xx answers and
/// transport failures are retried by the one ``Retrier``, within the invocation deadline. Create
/// one per process and share it.
public final class AWSClient: Sendable {
    /// The keys requests are signed with.
    public let credentials: AWSCredentials
    /// How failed calls are retried.
    public let retry: RetryPolicy
    /// How long one attempt may take (the invocation deadline may cut it shorter).
    public let timeout: Duration
    private let http: HTTPClient
    private let clock: @Sendable () -> Date
    private let logger: Logger

    /// Creates a client.
    /// - Parameters:
    ///   - credentials: the keys; in Lambda, the function role's from the environment.
    ///   - retry: the retry policy (three attempts by default, as the AWS SDKs' standard mode).
    ///   - timeout: the limit for one attempt.
    ///   - clock: the signing time; fixed in tests.
    public init(
        credentials: AWSCredentials, retry: RetryPolicy = RetryPolicy(), timeout: Duration = .seconds(30),
        logger: Logger = Logger(label: "aws"), clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.credentials = credentials
        self.retry = retry
        self.timeout = timeout
        self.clock = clock
        self.logger = logger
        self.http = SharedHTTPClient.client
    }

    /// The retry loop for calls to `service`.
    func retrier(_ service: AWSService) -> Retrier {
        Retrier(service: service.displayName, policy: retry, timeout: timeout)
    }

    /// Sends a request, retrying what is worth retrying.
    /// - Parameters:
    ///   - request: the call.
    ///   - service: the service, for signing and errors.
    ///   - endpoint: where it goes.
    ///   - maxResponseBytes: refuse longer bodies.
    /// - Returns: the answer, when its status is 2xx.
    /// - Throws: ``AWSError`` with the service's code, message and request id;
    ///   ``RetryBudgetExceeded`` when the invocation deadline stopped the retries.
    public func send(
        _ request: AWSRequest, service: AWSService, endpoint: AWSEndpoint, maxResponseBytes: Int = 1 << 20
    ) async throws -> AWSResponse {
        do {
            return try await retrier(service).run(
                request.operation, logger: logger,
                attempt: { limit in
                    try await self.sendOnce(
                        request, service: service, endpoint: endpoint, maxResponseBytes: maxResponseBytes,
                        timeout: limit)
                },
                decide: { Self.decide($0) })
        } catch let error as AttemptTimedOut {
            throw AWSError(
                service: service.displayName, operation: request.operation, status: nil, code: "TransportError",
                message: "\(endpoint.url) did not answer: \(error)", requestID: nil)
        }
    }

    /// Retry transport failures, timeouts, throttling and 5xx; honour `Retry-After`.
    static func decide<T>(_ result: Result<T, any Error>) -> RetryDecision {
        switch result {
        case .success: .finish
        case .failure(let error as AWSError) where error.isRetryable: .retry(after: error.retryAfter)
        case .failure(is AttemptTimedOut): .retry(after: nil)
        case .failure: .finish
        }
    }

    /// One attempt, without retries.
    func sendOnce(
        _ request: AWSRequest, service: AWSService, endpoint: AWSEndpoint, maxResponseBytes: Int, timeout: Duration
    ) async throws -> AWSResponse {
        let path = endpoint.basePath + request.path
        let signer = SigV4Signer(
            credentials: credentials, region: endpoint.region, service: service.signingName, clock: clock)
        let payloadHash = SigV4.sha256Hex(request.body)
        let signable = SigV4Request(
            method: request.method, path: path, query: request.query,
            headers: [("host", endpoint.hostHeader)] + request.headers, payloadHash: payloadHash)
        var outgoing = HTTPClientRequest(
            url: endpoint.scheme + "://" + endpoint.hostHeader + path + queryString(request))
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in signer.sign(signable) { outgoing.headers.add(name: name, value: value) }
        if !request.body.isEmpty || ["PUT", "POST"].contains(request.method) {
            outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        }
        let failure = { (code: String, message: String, status: Int?, requestID: String?) in
            AWSError(
                service: service.displayName, operation: request.operation, status: status, code: code,
                message: message, requestID: requestID)
        }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(outgoing, timeout: .nanoseconds(Int64(timeout.nanoseconds)))
        } catch {
            throw failure(
                "TransportError",
                "\(endpoint.url) did not answer (attempt timeout \(timeout.milliseconds) ms): \(error)", nil, nil)
        }
        let status = Int(response.status.code)
        let headers = response.headers.map { ($0.name, $0.value) }
        let isSuccess = (200..<300).contains(status)
        // A HEAD answer's content-length is the object's size, not a body that follows.
        if isSuccess, request.method != "HEAD",
            let length = response.headers.first(name: "content-length").flatMap(Int.init),
            length > maxResponseBytes
        {
            throw failure(
                "ResponseTooLarge", "the answer is \(length) bytes, over the limit of \(maxResponseBytes) bytes",
                status, response.headers.first(name: "x-amz-request-id"))
        }
        let body: ByteBuffer
        do {
            // Error bodies are small; a 2xx body is bounded by the caller's limit.
            body = try await response.body.collect(upTo: isSuccess ? maxResponseBytes : 1 << 20)
        } catch is NIOTooManyBytesError {
            throw failure(
                "ResponseTooLarge", "the answer is over the limit of \(maxResponseBytes) bytes", status,
                response.headers.first(name: "x-amz-request-id"))
        } catch {
            throw failure("TransportError", "the answer from \(endpoint.url) broke off: \(error)", status, nil)
        }
        let data = Data(buffer: body)
        guard isSuccess else {
            throw AWSErrorParser.error(
                service: service, operation: request.operation, status: status, headers: headers, body: data)
        }
        return AWSResponse(status: status, headers: headers, body: data)
    }

    private func queryString(_ request: AWSRequest) -> String {
        guard !request.query.isEmpty else { return "" }
        return "?"
            + request.query.map { SigV4.uriEncode($0.name) + "=" + SigV4.uriEncode($0.value) }
            .joined(separator: "&")
    }
}
