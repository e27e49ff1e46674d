import Foundation
import Logging

/// The ``EventBus`` on Amazon EventBridge: `PutEvents` in batches within the API's limits.
///
/// PutEvents answers HTTP 200 even when some entries fail. Entries that failed with
/// `InternalFailure` or `ThrottlingException` are sent again, alone, with backoff; any other
/// entry error, or one still failing after the last attempt, is an ``EventBusError`` naming the
/// entry and its `ErrorCode`.
public struct EventBridgeClient: EventBus {
    /// The signed transport.
    public let client: AWSClient
    /// Where requests go.
    public let endpoint: AWSEndpoint
    /// How failed entries are retried.
    public let retry: RetryPolicy
    private let logger = Logger(label: "eventbridge")

    /// Creates a client.
    public init(client: AWSClient, endpoint: AWSEndpoint, retry: RetryPolicy = RetryPolicy()) {
        self.client = client
        self.endpoint = endpoint
        self.retry = retry
    }

    public func put(_ entries: [EventEntry]) async throws {
        try PutEventsBatching.validate(entries)
        for batch in PutEventsBatching.batches(entries) {
            try await putBatch(batch)
        }
    }

    /// The entry error codes worth sending again.
    static let retryableCodes: Set<String> = ["InternalFailure", "ThrottlingException"]

    private func putBatch(_ batch: [EventEntry]) async throws {
        var pending = batch
        var attempt = 1
        while true {
            let output: PutEventsOutput
            do {
                output = try await client.callJSON(
                    "AWSEvents.PutEvents", input: PutEventsInput(entries: pending), as: PutEventsOutput.self,
                    service: .eventBridge, endpoint: endpoint)
            } catch {
                throw EventBusError(.failed, "PutEvents of \(describe(pending)) failed", underlying: error)
            }
            guard (output.failedEntryCount ?? 0) > 0 else { return }
            let results = output.entries ?? []
            var failed: [(entry: EventEntry, code: String, message: String)] = []
            for (index, entry) in pending.enumerated() {
                let result = index < results.count ? results[index] : nil
                if let code = result?.errorCode {
                    failed.append((entry, code, result?.errorMessage ?? ""))
                } else if result == nil {
                    failed.append((entry, "MissingResult", "EventBridge returned no result for this entry"))
                }
            }
            if let fatal = failed.first(where: { !Self.retryableCodes.contains($0.code) }) ?? failed.first,
                attempt >= retry.maxAttempts || !Self.retryableCodes.contains(fatal.code)
            {
                throw EventBusError(
                    .entryRejected,
                    "EventBridge refused \(describe([fatal.entry])) with \(fatal.code)"
                        + (fatal.message.isEmpty ? "" : ": \(fatal.message)")
                        + (failed.count > 1 ? " (\(failed.count) of \(pending.count) entries failed)" : ""))
            }
            let delay = retry.delay(beforeRetry: attempt)
            logger.warning(
                "retrying failed PutEvents entries",
                metadata: [
                    "failed": "\(failed.count)", "attempt": "\(attempt)", "code": "\(failed[0].code)",
                    "delay_ms": "\(delay.milliseconds)",
                ])
            try await Task.sleep(for: delay)
            pending = failed.map(\.entry)
            attempt += 1
        }
    }

    private func describe(_ entries: [EventEntry]) -> String {
        guard entries.count == 1, let entry = entries.first else { return "\(entries.count) entries" }
        let item = (try? JSONSerialization.jsonObject(with: Data(entry.detail.utf8)) as? [String: Any])?["item_id"]
        return "\(entry.detailType) entry" + (item.map { " for item \($0)" } ?? "")
    }
}

struct PutEventsInput: Encodable {
    var entries: [EventEntry]
    enum CodingKeys: String, CodingKey { case entries = "Entries" }
}

struct PutEventsOutput: Decodable {
    var failedEntryCount: Int?
    var entries: [Result]?

    struct Result: Decodable {
        var eventID: String?
        var errorCode: String?
        var errorMessage: String?
        enum CodingKeys: String, CodingKey {
            case eventID = "EventId"
            case errorCode = "ErrorCode"
            case errorMessage = "ErrorMessage"
        }
    }

    enum CodingKeys: String, CodingKey {
        case failedEntryCount = "FailedEntryCount"
        case entries = "Entries"
    }
}
