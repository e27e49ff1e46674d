import Foundation
import TestSupport
import Testing

@testable import PipelineCore

/// AWSClient's calls run in the one Retrier: throttling is retried after the service's
/// `Retry-After`, other errors are not, and a hung S3 gives up before the invocation deadline.
@Suite struct AWSClientRetryTests {
    private let client = AWSClient(
        credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret"),
        retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1)))

    private func s3(_ address: String) throws -> S3Client {
        S3Client(
            client: client, endpoint: try AWSEndpoint(url: "http://\(address)", region: "us-east-1", variable: "test"))
    }

    @Test func slowDownIsRetriedAfterTheServersRetryAfter() async throws {
        let times = Recorder<ContinuousClock.Instant>()
        try await TestHTTPServer.with({ _, _ in
            let call = times.append(.now)
            guard call > 1 else {
                return TestHTTPResponse(
                    status: 503, headers: ["retry-after": "0.4", "content-type": "application/xml"],
                    body: Data("<Error><Code>SlowDown</Code><Message>slow</Message></Error>".utf8))
            }
            return TestHTTPResponse(status: 200, headers: ["etag": "\"e1\""], body: Data("abc".utf8))
        }) { address in
            let object = try await s3(address).get(bucket: "bucket", key: "k", maxBytes: 100, ifMatch: nil)
            #expect(object.data == Data("abc".utf8))
        }
        let seen = times.all
        #expect(seen.count == 2 && seen[1] - seen[0] >= .milliseconds(400))
    }

    @Test func accessDeniedIsNotRetried() async throws {
        let calls = Recorder<Int>()
        try await TestHTTPServer.with({ _, _ in
            calls.append(1)
            return TestHTTPResponse(
                status: 403, headers: ["content-type": "application/xml"],
                body: Data("<Error><Code>AccessDenied</Code><Message>no</Message></Error>".utf8))
        }) { address in
            let error = await #expect(throws: ObjectStoreError.self) {
                try await s3(address).get(bucket: "bucket", key: "k", maxBytes: 100, ifMatch: nil)
            }
            #expect(error.map(FailureClassifier.kind(of:)) == .rejected)
        }
        #expect(calls.count == 1)
    }

    @Test func aHungS3GivesUpBeforeTheDeadline() async throws {
        try await TestHTTPServer.with({ _, handle in try await handle.hold() }) { address in
            let deadline = Date().addingTimeInterval(3.5)
            let error = await InvocationDeadline.$current.withValue(deadline) {
                await #expect(throws: RetryBudgetExceeded.self) {
                    try await s3(address).get(bucket: "bucket", key: "k", maxBytes: 100, ifMatch: nil)
                }
            }
            #expect(Date() < deadline.addingTimeInterval(-0.5))
            #expect(error?.service == "S3" && error?.operation == "GetObject" && error?.attempts == 1)
        }
    }
}
