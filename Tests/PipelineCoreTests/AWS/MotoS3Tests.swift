import Foundation
import PipelineCore
import TestSupport
import Testing

/// S3Client against moto, with signatures verified (and, for reserved characters, without).
@Suite(.enabled(if: MotoServer.enabled)) struct MotoS3Tests {
    private func bucket(on server: MotoServer) async throws -> (S3Client, String) {
        let s3 = S3Client(client: server.client(), endpoint: server.endpoint)
        let bucket = MotoServer.uniqueName("s3test")
        try await s3.createBucket(bucket)
        try await s3.createBucket(bucket)  // ours already: not an error
        return (s3, bucket)
    }

    @Test func signedPutHeadGetRoundTrip() async throws {
        let (s3, bucket) = try await bucket(on: try MotoServer.requireVerifying())
        let data = try TestEnvironment.data("fixtures/images/red.jpg")
        try await s3.put(bucket: bucket, key: "user-1/photos/red.jpg", data: data, contentType: "image/jpeg")
        let head = try await s3.head(bucket: bucket, key: "user-1/photos/red.jpg")
        #expect(head.size == data.count)
        #expect(head.contentType == "image/jpeg")
        #expect(head.etag.count == 32 && !head.etag.contains("\""))
        let object = try await s3.get(bucket: bucket, key: "user-1/photos/red.jpg", maxBytes: data.count)
        #expect(object.data == data)
        #expect(object.etag == head.etag)
    }

    @Test func readsOnlyTheVersionAskedForAndHeadsLargeObjects() async throws {
        let (s3, bucket) = try await bucket(on: try MotoServer.requireVerifying())
        let first = Data(repeating: 1, count: 2 << 20)
        try await s3.put(bucket: bucket, key: "u/a.jpg", data: first, contentType: "image/jpeg")
        // HEAD's content-length is the object's size, not a body: over the body limit is fine.
        let old = try await s3.head(bucket: bucket, key: "u/a.jpg")
        #expect(old.size == first.count)
        #expect(try await s3.get(bucket: bucket, key: "u/a.jpg", maxBytes: 3 << 20, ifMatch: old.etag).data == first)
        try await s3.put(bucket: bucket, key: "u/a.jpg", data: Data("newer".utf8), contentType: "image/jpeg")
        let error = await #expect(throws: ObjectStoreError.self) {
            try await s3.get(bucket: bucket, key: "u/a.jpg", maxBytes: 3 << 20, ifMatch: old.etag)
        }
        #expect(error?.code == .changed)
        #expect(error?.message == "object s3://\(bucket)/u/a.jpg is no longer version \(old.etag)")
    }

    @Test func missingObjectsAndBucketsAreClearErrors() async throws {
        let (s3, bucket) = try await bucket(on: try MotoServer.requireVerifying())
        let missing = await #expect(throws: ObjectStoreError.self) {
            try await s3.get(bucket: bucket, key: "nope.jpg", maxBytes: 100)
        }
        #expect(missing?.code == .notFound)
        #expect(missing?.message == "object s3://\(bucket)/nope.jpg does not exist")
        let aws = missing?.underlying as? AWSError
        #expect(aws?.code == "NoSuchKey")
        #expect(aws?.status == 404)
        #expect(aws?.requestID?.isEmpty == false)
        let head = await #expect(throws: ObjectStoreError.self) { try await s3.head(bucket: bucket, key: "nope.jpg") }
        #expect(head?.code == .notFound)
        let noBucket = await #expect(throws: ObjectStoreError.self) {
            try await s3.get(bucket: MotoServer.uniqueName("absent"), key: "a.jpg", maxBytes: 100)
        }
        #expect((noBucket?.underlying as? AWSError)?.code == "NoSuchBucket")
    }

    @Test func objectsOverTheByteLimitAreRefused() async throws {
        let (s3, bucket) = try await bucket(on: try MotoServer.requireVerifying())
        try await s3.put(bucket: bucket, key: "big.bin", data: Data(count: 50_000), contentType: "image/jpeg")
        let error = await #expect(throws: ObjectStoreError.self) {
            try await s3.get(bucket: bucket, key: "big.bin", maxBytes: 10_000)
        }
        #expect(error?.code == .tooLarge)
        #expect("\(error!)".contains("50000 bytes, over the limit of 10000 bytes"))
    }

    @Test func aWrongSecretIsRejected() async throws {
        let server = try MotoServer.requireVerifying()
        let wrong = AWSCredentials(accessKeyID: server.credentials.accessKeyID, secretAccessKey: "not-the-secret")
        let s3 = S3Client(client: server.client(wrong), endpoint: server.endpoint)
        let error = await #expect(throws: ObjectStoreError.self) {
            try await s3.put(bucket: "anything", key: "a.jpg", data: Data([1]), contentType: "image/jpeg")
        }
        let aws = error?.underlying as? AWSError
        #expect(aws?.status == 403)
        #expect(aws?.code == "SignatureDoesNotMatch")
        let ssm = SSMClient(client: server.client(wrong), endpoint: server.endpoint)
        let ssmError = await #expect(throws: ParameterStoreError.self) { try await ssm.value(of: "/x") }
        #expect((ssmError?.underlying as? AWSError)?.status == 403)
    }

    /// Keys a user may well upload. moto's verifier wrongly refuses correctly signed requests for
    /// keys with reserved characters, so these go to the open server; the signer's handling of
    /// them is checked against AWS's test suite in SigV4SuiteTests.
    @Test(arguments: [
        "user 1/my photo.jpg", "user/a+b.jpg", "user/100%.jpg", "user/üñïçødé 写真.jpg", "user/a=b&c=d.jpg",
        "user/it's (1) [2] {3} ~!@$*,;:.jpg", "user/#hash?query.jpg", "user//double/slash.jpg",
    ])
    func anyKeyRoundTrips(key: String) async throws {
        let (s3, bucket) = try await bucket(on: try MotoServer.requireOpen())
        let data = Data(key.utf8)
        try await s3.put(bucket: bucket, key: key, data: data, contentType: "image/jpeg")
        #expect(try await s3.get(bucket: bucket, key: key, maxBytes: 1000).data == data)
        #expect(try await s3.head(bucket: bucket, key: key).size == data.count)
    }
}
