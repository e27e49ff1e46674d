import Foundation
import TestSupport
import Testing

@testable import PipelineCore

/// EventBridgeClient against a scripted PutEvents endpoint: partial failures, retries, limits.
@Suite struct EventBridgeClientTests {
    private let client = AWSClient(
        credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret"),
        retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1)))

    private func entries(_ count: Int) -> [EventEntry] {
        (0..<count).map { EventEntry(source: "collections.test", detailType: "T", detail: #"{"item_id":"\#($0)"}"#) }
    }

    /// Records each PutEvents body's item ids, answering with `answer(call, ids)`.
    private func serve(
        _ answer: @escaping @Sendable (Int, [String]) -> TestHTTPResponse,
        body: (EventBridgeClient, Recorder<[String]>) async throws -> Void
    ) async throws {
        let calls = Recorder<[String]>()
        try await TestHTTPServer.with({ request, _ in
            #expect(request.headers["x-amz-target"] == "AWSEvents.PutEvents")
            #expect(request.headers["content-type"] == "application/x-amz-json-1.1")
            #expect(request.headers["authorization"]?.contains("/us-east-1/events/aws4_request") == true)
            let input = try JSONSerialization.jsonObject(with: request.body) as! [String: Any]
            let ids = (input["Entries"] as! [[String: Any]]).map {
                (try! JSONSerialization.jsonObject(with: Data(($0["Detail"] as! String).utf8)) as! [String: Any])[
                    "item_id"] as! String
            }
            let call = calls.append(ids)
            return answer(call, ids)
        }) { address in
            let endpoint = try AWSEndpoint(url: "http://\(address)", region: "us-east-1", variable: "test")
            try await body(EventBridgeClient(client: client, endpoint: endpoint), calls)
        }
    }

    private static func results(_ ids: [String], failing: [String: String]) -> TestHTTPResponse {
        let entries = ids.map { id in
            failing[id].map { #"{"ErrorCode":"\#($0)","ErrorMessage":"no luck"}"# } ?? #"{"EventId":"e-\#(id)"}"#
        }
        return .json(200, #"{"FailedEntryCount":\#(failing.count),"Entries":[\#(entries.joined(separator: ","))]}"#)
    }

    @Test func sendsInBatchesOfTen() async throws {
        try await serve({ _, ids in Self.results(ids, failing: [:]) }) { bus, calls in
            try await bus.put(entries(23))
            #expect(calls.all.map(\.count) == [10, 10, 3])
        }
    }

    @Test func retriesOnlyTheFailedEntries() async throws {
        try await serve({ call, ids in
            call == 1
                ? Self.results(ids, failing: ["1": "InternalFailure", "3": "ThrottlingException"])
                : Self.results(ids, failing: [:])
        }) { bus, calls in
            try await bus.put(entries(4))
            #expect(calls.all == [["0", "1", "2", "3"], ["1", "3"]])
        }
    }

    @Test func failsNamingTheEntryAndItsErrorCode() async throws {
        try await serve({ _, ids in Self.results(ids, failing: ["2": "MalformedDetail"]) }) { bus, calls in
            let error = await #expect(throws: EventBusError.self) { try await bus.put(entries(3)) }
            #expect(error?.code == .entryRejected)
            #expect(error?.message.contains("T entry for item 2 with MalformedDetail: no luck") == true)
            #expect(calls.count == 1)  // not retryable
        }
    }

    @Test func givesUpAfterTheLastAttempt() async throws {
        try await serve({ _, ids in Self.results(ids, failing: ["0": "InternalFailure"]) }) { bus, calls in
            let error = await #expect(throws: EventBusError.self) { try await bus.put(entries(2)) }
            #expect(error?.message.contains("with InternalFailure") == true)
            #expect(calls.all == [["0", "1"], ["0"], ["0"]])
        }
    }

    @Test func throttledCallsAreRetriedAndOtherErrorsAreTyped() async throws {
        try await serve({ call, ids in
            switch call {
            case 1:
                .json(400, #"{"__type":"ThrottlingException","message":"Rate exceeded"}"#)
            case 2:
                Self.results(ids, failing: [:])
            default:
                .json(
                    400, #"{"__type":"ResourceNotFoundException","message":"Event bus nope does not exist."}"#,
                    headers: ["x-amzn-RequestId": "req-7"])
            }
        }) { bus, calls in
            try await bus.put(entries(1))
            #expect(calls.count == 2)
            let error = await #expect(throws: EventBusError.self) { try await bus.put(entries(1)) }
            let aws = error?.underlying as? AWSError
            #expect(aws?.code == "ResourceNotFoundException")
            #expect(aws?.requestID == "req-7")
            #expect(aws?.message == "Event bus nope does not exist.")
        }
    }

    /// Partial failures and failed calls share one loop and one count of attempts: the re-sent
    /// entries are only those that failed, also after a failed call in between.
    @Test func partialAndWholeFailuresShareOneBudget() async throws {
        try await serve({ call, ids in
            switch call {
            case 1: Self.results(ids, failing: ["1": "ThrottlingException"])
            case 2: .json(503, #"{"__type":"ServiceUnavailable","message":"try later"}"#)
            default: Self.results(ids, failing: [:])
            }
        }) { bus, calls in
            try await bus.put(entries(3))
            #expect(calls.all == [["0", "1", "2"], ["1"], ["1"]])
        }
    }

    /// A bus that never answers: the call gives up before the invocation deadline, naming
    /// EventBridge and the deadline.
    @Test func aHangingBusGivesUpBeforeTheDeadline() async throws {
        try await TestHTTPServer.with({ _, handle in try await handle.hold() }) { address in
            let endpoint = try AWSEndpoint(url: "http://\(address)", region: "us-east-1", variable: "test")
            let bus = EventBridgeClient(client: client, endpoint: endpoint)
            let deadline = Date().addingTimeInterval(3.5)
            let error = await InvocationDeadline.$current.withValue(deadline) {
                await #expect(throws: EventBusError.self) { try await bus.put(entries(2)) }
            }
            #expect(Date() < deadline.addingTimeInterval(-0.5))
            let text = error.map { "\($0)" } ?? ""
            #expect(text.contains("EventBridge PutEvents gave up after 1 attempt"), "\(text)")
            #expect(text.contains("invocation deadline"), "\(text)")
            #expect(error.map(FailureClassifier.kind(of:)) == .transient)
        }
    }

    @Test func anOversizedDetailIsNeverSent() async throws {
        try await serve({ _, ids in Self.results(ids, failing: [:]) }) { bus, calls in
            let big = EventEntry(
                source: "collections.test", detailType: "T",
                detail: #"{"x":"\#(String(repeating: "a", count: 262_144))"}"#)
            await #expect(throws: EventBusError.self) { try await bus.put(entries(1) + [big]) }
            #expect(calls.count == 0)
        }
    }
}
