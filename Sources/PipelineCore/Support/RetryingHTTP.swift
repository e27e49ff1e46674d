import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// An HTTP answer, read in full.
public struct HTTPAnswer: Sendable, CustomStringConvertible {
    /// The status code.
    public var status: Int
    /// The headers.
    public var headers: HTTPHeaders
    /// The body.
    public var body: Data

    public var description: String { "HTTP \(status), \(body.count) bytes" }
}

/// Sends JSON requests to the model APIs through the one ``Retrier``: 408, 409, 429, 500,
/// 502–504, 529 and connection failures or timeouts are retried; `retry-after-ms` and
/// `retry-after` are honoured and `x-should-retry` overrides; other 4xx are never retried; and
/// nothing outlasts the invocation deadline.
public struct RetryingHTTP: Sendable {
    /// The retry policy.
    public var policy: RetryPolicy
    /// The limit for one attempt.
    public var timeout: Duration
    /// The service, for errors and logs; nil for the URL's host.
    public var service: String?
    /// Statuses worth another attempt.
    public static let retryableStatuses: Set<Int> = [408, 409, 429, 500, 502, 503, 504, 529]

    /// Creates a sender.
    public init(policy: RetryPolicy, timeout: Duration, service: String? = nil) {
        self.policy = policy
        self.timeout = timeout
        self.service = service
    }

    /// Why no answer came back: the last attempt's failure, or the deadline's budget ran out.
    public struct TransportError: Error, CustomStringConvertible {
        /// What happened.
        public let message: String
        public var description: String { message }
    }

    /// POSTs `body` to `url` and returns the first answer that is not worth retrying (or the last).
    ///
    /// Inside an invocation (``InvocationDeadline/current``), or with an explicit `deadline`, the
    /// ``Retrier`` bounds every attempt and wait by the deadline less ``InvocationDeadline/reserve``.
    /// - Throws: ``TransportError`` when no answer came back on the last attempt, or no time was
    ///   left; its message then names the service, the attempts and the deadline.
    public func post(
        url: String, headers: [(String, String)], body: Data, maxResponseBytes: Int = 4 << 20, deadline: Date? = nil,
        logger: Logger
    ) async throws -> HTTPAnswer {
        let retrier = Retrier(
            service: service ?? URL(string: url)?.host ?? url, policy: policy, timeout: timeout, deadline: deadline)
        do {
            return try await retrier.run(
                "POST \(URL(string: url)?.path ?? url)", logger: logger,
                attempt: { limit in
                    try await Self.send(
                        url: url, headers: headers, body: body, timeout: limit, maxResponseBytes: maxResponseBytes)
                },
                decide: { result in
                    let (retry, suggested) = Self.shouldRetry(result)
                    return retry ? .retry(after: suggested) : .finish
                })
        } catch let error as RetryBudgetExceeded {
            throw TransportError(message: "\(url): \(error)")
        } catch let error as TransportError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw TransportError(message: "\(url) did not answer: \(error)")
        }
    }

    /// The shortest attempt worth making: the lesser of 2 s and ``timeout``.
    public var minimumAttempt: Duration { min(.seconds(2), timeout) }

    private static func send(
        url: String, headers: [(String, String)], body: Data, timeout: Duration, maxResponseBytes: Int
    ) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await SharedHTTPClient.client.execute(
                request, timeout: .nanoseconds(timeout.nanoseconds))
            let bytes = try await response.body.collect(upTo: maxResponseBytes)
            return HTTPAnswer(status: Int(response.status.code), headers: response.headers, body: Data(buffer: bytes))
        } catch {
            throw TransportError(
                message: "\(url) did not answer (attempt timeout \(timeout.milliseconds) ms): \(error)")
        }
    }

    /// Whether an outcome is worth retrying, and the wait the server asked for.
    static func shouldRetry(_ result: Result<HTTPAnswer, any Error>) -> (Bool, Duration?) {
        guard case .success(let answer) = result else { return (true, nil) }
        let suggested = retryAfter(answer.headers)
        if let override = answer.headers.first(name: "x-should-retry")?.lowercased(),
            ["true", "false"].contains(override)
        {
            return (override == "true", suggested)
        }
        return (retryableStatuses.contains(answer.status), suggested)
    }

    /// `retry-after-ms` (milliseconds), else `retry-after` (seconds, or an HTTP date).
    static func retryAfter(_ headers: HTTPHeaders, now: Date = Date()) -> Duration? {
        RetryAfter.parse({ headers.first(name: $0) }, now: now)
    }
}
