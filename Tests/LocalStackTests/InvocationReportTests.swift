import Foundation
import LocalStack
import Logging
import PipelineCore
import TestSupport
import Testing

/// The report the queue worker logs after each invocation: what ran, for how long, after how long
/// in the queue.
@Suite struct InvocationReportTests {
    private func message(body: String, attributes: [String: String]) throws -> SQSMessage {
        let json: [String: Any] = ["MessageId": "m-1", "ReceiptHandle": "r-1", "Body": body, "Attributes": attributes]
        return try JSONDecoder().decode(SQSMessage.self, from: JSONSerialization.data(withJSONObject: json))
    }

    @Test func aReportSaysWhatRanForHowLongAfterHowLongInTheQueue() throws {
        let body = #"{"detail-type": "ImageProcessed", "detail": {"original_key": "alice/a.jpg", "item_id": "i-1"}}"#
        let sent = Date(timeIntervalSince1970: 1_800_000_000.250)
        let received = sent.addingTimeInterval(1.5)
        let report = InvocationReport(
            function: "collections-local-analyzer", process: "Analyzer-2",
            message: try message(
                body: body, attributes: ["SentTimestamp": "1800000000250", "ApproximateReceiveCount": "2"]),
            received: received, ended: received.addingTimeInterval(0.125), outcome: .success(Data("{}".utf8)))
        #expect(report.event == EventSummary(body: body))
        #expect(report.event.subject == "alice/a.jpg" && report.event.detailType == "ImageProcessed")
        #expect(report.attempt == 2 && report.outcome == "success")
        #expect(abs(report.durationMilliseconds - 125) < 0.01)
        #expect(abs((report.queuedMilliseconds ?? 0) - 1500) < 0.01)
        let fields = report.metadata.mapValues { "\($0)" }
        #expect(fields["function"] == "collections-local-analyzer" && fields["process"] == "Analyzer-2")
        #expect(fields["sent_at"] == "1800000000.250000" && fields["duration_ms"] == "125.000")
        #expect(fields["queued_ms"] == "1500.000" && fields["received_at"] == "1800000001.750000")
    }

    @Test func aFailureReportsItsErrorTypeAndAnUnknownSendTimeIsLeftOut() throws {
        let report = InvocationReport(
            function: "f", process: "f", message: try message(body: "not json", attributes: [:]), received: Date(),
            ended: Date(), outcome: .failure(type: "Sandbox.Timedout", message: "Task timed out after 3.0 seconds"))
        #expect(report.outcome == "Sandbox.Timedout" && report.attempt == 1)
        #expect(report.event == EventSummary(body: "not json") && report.event.detailType == "?")
        #expect(report.queuedMilliseconds == nil && report.metadata["sent_at"] == nil)
    }

    @Test func anEventSummaryNamesTheKeyOrTheItem() {
        let upload = #"{"detail-type": "Object Created", "detail": {"object": {"key": "bob/b c.png"}}}"#
        let analysed = #"{"detail-type": "ImageAnalyzed", "detail": {"item_id": "i-9", "analysis_id": "a-1"}}"#
        #expect(EventSummary(body: upload).subject == "bob/b c.png")
        #expect(EventSummary(body: analysed).subject == "i-9")
        #expect(EventSummary(body: "[]").subject == "")
    }
}

/// The queue worker on moto logs one report per invocation, with the time the function took.
@Suite(.enabled(if: MotoServer.enabled, "needs moto (scripts/test)"))
struct QueueWorkerReportTests {
    /// Keeps what a logger was given.
    struct RecordingHandler: LogHandler {
        let records: Recorder<(message: String, metadata: [String: String])>
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            records.append(("\(event.message)", (event.metadata ?? [:]).mapValues { "\($0)" }))
        }
    }

    @Test func everyInvocationIsReportedWithItsDurationAttemptAndOutcome() async throws {
        let records = Recorder<(message: String, metadata: [String: String])>()
        let (sqs, source, _, host, worker) = try await QueueWorkerTests.setUp(
            maxReceiveCount: 5, timeout: .seconds(10), batchSize: 1,
            logger: Logger(label: "test") { _ in RecordingHandler(records: records) })
        let before = Date()
        try await sqs.send(
            to: source, body: #"{"detail-type": "ImageAnalyzed", "detail": {"item_id": "slow"}, "sleep": 0.4}"#)
        try await Task.sleep(for: .milliseconds(50))
        try await sqs.send(
            to: source, body: #"{"detail-type": "ImageAnalyzed", "detail": {"item_id": "bad"}, "fail": "no"}"#)
        let running = Task { await worker.run() }
        var reports: [[String: String]] = []
        let start = ContinuousClock.now
        while reports.count < 3, ContinuousClock.now - start < .seconds(30) {
            try await Task.sleep(for: .milliseconds(100))
            reports = records.all.filter { $0.message == "\(InvocationReport.message)" }.map(\.metadata)
        }
        running.cancel()
        await running.value
        await host.stop()

        try #require(reports.count == 3, "\(reports)")
        let slow = try #require(reports.first { $0["subject"] == "slow" })
        #expect(slow["outcome"] == "success" && slow["attempt"] == "1" && slow["function"] == "test")
        let duration = try #require(slow["duration_ms"].flatMap(Double.init))
        #expect(duration >= 400 && duration < 5000, "\(duration)")
        let sent = try #require(slow["sent_at"].flatMap(Double.init))
        let received = try #require(slow["received_at"].flatMap(Double.init))
        let ended = try #require(slow["ended_at"].flatMap(Double.init))
        #expect(sent >= before.timeIntervalSince1970 - 1 && sent <= received && received < ended)
        #expect(abs((ended - received) * 1000 - duration) < 1)
        let failed = reports.filter { $0["subject"] == "bad" }
        #expect(failed.map { $0["outcome"] } == ["BatchItemFailure", "BatchItemFailure"])
        #expect(failed.map { $0["attempt"] } == ["1", "2"])
    }
}
