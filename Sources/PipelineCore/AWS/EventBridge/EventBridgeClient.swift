import Foundation
import Logging
import Synchronization

/// The ``EventBus`` on Amazon EventBridge: `PutEvents` in batches within the API's limits.
///
/// PutEvents answers HTTP 200 even when some entries fail. Each batch runs in one ``Retrier``
/// loop, within the invocation deadline: a failed call is sent again whole, and after a partial
/// failure only the entries that failed with `InternalFailure` or `ThrottlingException` are sent
/// again. Any other entry error, or one still failing at the end, is an ``EventBusError`` naming
/// the entry and its `ErrorCode`.
public struct EventBridgeClient: EventBus {
    /// The signed transport; its retry policy and timeout apply.
    public let client: AWSClient
    /// Where requests go.
    public let endpoint: AWSEndpoint
    private let logger = Logger(label: "eventbridge")

    /// Creates a client.
    public init(client: AWSClient, endpoint: AWSEndpoint) {
        self.client = client
        self.endpoint = endpoint
    }

    public func put(_ entries: [EventEntry]) async throws {
        try PutEventsBatching.validate(entries)
        for batch in PutEventsBatching.batches(entries) {
            try await putBatch(batch)
        }
    }

    /// The entry error codes worth sending again
    /// (docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsResultEntry.html, read 2026-12-04).
    static let retryableCodes: Set<String> = ["InternalFailure", "ThrottlingException"]

    private func putBatch(_ batch: [EventEntry]) async throws {
        let pending = Mutex(batch)
        let (client, endpoint) = (self.client, self.endpoint)
        do {
            try await client.retrier(.eventBridge).run(
                "PutEvents", logger: logger,
                attempt: { limit in
                    let sending = pending.withLock { $0 }
                    let output = try await client.callJSONOnce(
                        "AWSEvents.PutEvents", input: PutEventsInput(entries: sending), as: PutEventsOutput.self,
                        service: .eventBridge, endpoint: endpoint, timeout: limit)
                    let failed = Self.failedEntries(sending, output)
                    guard failed.isEmpty else { throw PutEventsPartialFailure(failed: failed, sent: sending.count) }
                },
                decide: { result in
                    if case .failure(let partial as PutEventsPartialFailure) = result {
                        guard partial.failed.allSatisfy({ Self.retryableCodes.contains($0.code) }) else {
                            return .finish
                        }
                        pending.withLock { $0 = partial.failed.map(\.entry) }
                        return .retry(after: nil)
                    }
                    return AWSClient.decide(result)
                })
        } catch let partial as PutEventsPartialFailure {
            let fatal = partial.failed.first { !Self.retryableCodes.contains($0.code) } ?? partial.failed[0]
            throw EventBusError(
                .entryRejected,
                "EventBridge refused \(describe([fatal.entry])) with \(fatal.code)"
                    + (fatal.message.isEmpty ? "" : ": \(fatal.message)")
                    + (partial.failed.count > 1 ? " (\(partial.failed.count) of \(partial.sent) entries failed)" : ""))
        } catch let budget as RetryBudgetExceeded {
            throw EventBusError(
                .failed, "PutEvents of \(describe(pending.withLock { $0 })) failed", underlying: budget)
        } catch {
            throw EventBusError(.failed, "PutEvents of \(describe(batch)) failed", underlying: error)
        }
    }

    /// The entries of `sent` that the answer marks failed, or lists no result for.
    static func failedEntries(_ sent: [EventEntry], _ output: PutEventsOutput) -> [PutEventsPartialFailure.Entry] {
        guard (output.failedEntryCount ?? 0) > 0 else { return [] }
        let results = output.entries ?? []
        return sent.enumerated().compactMap { index, entry in
            let result = index < results.count ? results[index] : nil
            if let code = result?.errorCode {
                return PutEventsPartialFailure.Entry(entry: entry, code: code, message: result?.errorMessage ?? "")
            }
            if result == nil {
                return PutEventsPartialFailure.Entry(
                    entry: entry, code: "MissingResult", message: "EventBridge returned no result for this entry")
            }
            return nil
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
