import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// An HTTP answer, read in full.
public struct HTTPAnswer: Sendable {
    /// The status code.
    public var status: Int
    /// The headers.
    public var headers: HTTPHeaders
    /// The body.
    public var body: Data
}

/// Sends JSON requests to the model APIs with one retry policy: capped exponential backoff with
/// full jitter on 429, 500, 502–504, 529 and connection failures or timeouts; `retry-after-ms`
/// and `retry-after` are honoured and `x-should-retry` overrides; other 4xx are never retried;
/// and no attempt starts that could not finish before the deadline.
public struct RetryingHTTP: Sendable {
    /// The retry policy.
    public var policy: RetryPolicy
    /// The limit for one attempt.
    public var timeout: Duration
    /// Statuses worth another attempt.
    public static let retryableStatuses: Set<Int> = [408, 409, 429, 500, 502, 503, 504, 529]

    /// Creates a sender.
    public init(policy: RetryPolicy, timeout: Duration) {
        self.policy = policy
        self.timeout = timeout
    }

    /// Why the last attempt failed, when no answer came back.
    public struct TransportError: Error, CustomStringConvertible {
        /// What happened.
        public let message: String
        public var description: String { message }
    }

    /// POSTs `body` to `url` and returns the first answer that is not worth retrying (or the last).
    ///
    /// Inside an invocation (``InvocationDeadline/current``), or with an explicit `deadline`, each
    /// attempt's timeout is cut to the time left less ``InvocationDeadline/reserve``, and no retry is
    /// made whose wait would leave less than ``minimumAttempt`` for the attempt.
    /// - Throws: ``TransportError`` when no answer came back on the last attempt, or no time was left.
    public func post(
        url: String, headers: [(String, String)], body: Data, maxResponseBytes: Int = 4 << 20, deadline: Date? = nil,
        logger: Logger
    ) async throws -> HTTPAnswer {
        let deadline = deadline ?? InvocationDeadline.current
        var attempt = 1
        while true {
            let left = deadline.map { InvocationDeadline.usableTime(until: $0) }
            if let left, left < minimumAttempt {
                throw TransportError(
                    message: "\(url) was not called: \(left.milliseconds) ms were left before the invocation deadline")
            }
            let result = await send(
                url: url, headers: headers, body: body, timeout: min(timeout, left ?? timeout),
                maxResponseBytes: maxResponseBytes)
            let (retry, suggested) = Self.shouldRetry(result)
            let status = (try? result.get()).map { "\($0.status)" } ?? "no answer"
            guard retry, attempt < policy.maxAttempts else { return try result.get() }
            let delay = policy.delay(beforeRetry: attempt, suggested: suggested)
            if let deadline, InvocationDeadline.usableTime(until: deadline) - delay < minimumAttempt {
                logger.warning(
                    "not retrying: the invocation deadline is too close",
                    metadata: ["url": "\(url)", "attempt": "\(attempt)", "status": "\(status)"])
                return try result.get()
            }
            logger.warning(
                "retrying",
                metadata: [
                    "url": "\(url)", "attempt": "\(attempt)", "status": "\(status)",
                    "delay_ms": "\(delay.milliseconds)",
                ])
            try await Task.sleep(for: delay)
            attempt += 1
        }
    }

    /// The shortest attempt worth making: the lesser of 2 s and ``timeout``.
    public var minimumAttempt: Duration { min(.seconds(2), timeout) }

    private func send(
        url: String, headers: [(String, String)], body: Data, timeout: Duration, maxResponseBytes: Int
    ) async -> Result<HTTPAnswer, TransportError> {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await SharedHTTPClient.client.execute(
                request, timeout: .nanoseconds(timeout.nanoseconds))
            let bytes = try await response.body.collect(upTo: maxResponseBytes)
            return .success(
                HTTPAnswer(status: Int(response.status.code), headers: response.headers, body: Data(buffer: bytes)))
        } catch {
            return .failure(
                TransportError(message: "\(url) did not answer (attempt timeout \(timeout.milliseconds) ms): \(error)"))
        }
    }

    /// Whether an outcome is worth retrying, and the wait the server asked for.
    static func shouldRetry(_ result: Result<HTTPAnswer, TransportError>) -> (Bool, Duration?) {
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
        if let text = headers.first(name: "retry-after-ms"), let ms = Double(text), ms >= 0 {
            return .milliseconds(Int64(ms))
        }
        guard let text = headers.first(name: "retry-after") else { return nil }
        if let seconds = Double(text), seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
    }
}
