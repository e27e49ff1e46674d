import Foundation

/// The ``ObjectStore`` on Amazon S3 (or an S3-compatible endpoint): GetObject, PutObject and
/// HeadObject, signed with SigV4. Keys may hold any character S3 allows; they are encoded once.
public struct S3Client: ObjectStore {
    /// The signed transport.
    public let client: AWSClient
    /// Where requests go.
    public let endpoint: AWSEndpoint
    /// Bucket in the path (`/bucket/key`) rather than the host; always so for custom endpoints.
    public let pathStyle: Bool

    /// Creates a client.
    /// - Parameter pathStyle: force `/bucket/key` addressing; nil chooses path style for custom
    ///   endpoints and virtual-hosted style (`bucket.s3.region.amazonaws.com`) for AWS.
    public init(client: AWSClient, endpoint: AWSEndpoint, pathStyle: Bool? = nil) {
        self.client = client
        self.endpoint = endpoint
        self.pathStyle = pathStyle ?? endpoint.isCustom
    }

    public func get(bucket: String, key: String, maxBytes: Int, ifMatch: String?) async throws -> StoredObject {
        let headers = ifMatch.map { [(name: "if-match", value: "\"\($0)\"")] } ?? []
        let response = try await call(
            "GetObject", "GET", bucket: bucket, key: key, headers: headers, maxResponseBytes: maxBytes)
        return StoredObject(
            data: response.body, etag: Self.etag(response), contentType: response.header("content-type"))
    }

    public func head(bucket: String, key: String) async throws -> ObjectHead {
        let response = try await call("HeadObject", "HEAD", bucket: bucket, key: key)
        return ObjectHead(
            size: response.header("content-length").flatMap(Int.init) ?? 0, etag: Self.etag(response),
            contentType: response.header("content-type"))
    }

    public func put(bucket: String, key: String, data: Data, contentType: String) async throws {
        _ = try await call(
            "PutObject", "PUT", bucket: bucket, key: key, headers: [("content-type", contentType)], body: data)
    }

    /// Creates a bucket (for the local stack, tests, and `collections deploy --create-bucket`'s
    /// artifact bucket). An existing bucket we own is not an error (`BucketAlreadyOwnedByYou`).
    /// Outside us-east-1 the body names the region as `LocationConstraint`; in us-east-1 it must
    /// not ("If you don't specify a Region, the bucket is created in the US East (N. Virginia)
    /// Region (us-east-1)"; a constraint of us-east-1 is refused as `InvalidLocationConstraint`:
    /// API_CreateBucket.html and CreateBucketConfiguration, Amazon S3 API Reference, read 2026-12-04).
    public func createBucket(_ bucket: String) async throws {
        var body = Data()
        if endpoint.region != "us-east-1" {
            body = Data(
                ("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                    + "<LocationConstraint>\(endpoint.region)</LocationConstraint></CreateBucketConfiguration>").utf8)
        }
        do {
            _ = try await client.send(
                AWSRequest(
                    operation: "CreateBucket", method: "PUT", path: try bucketPath(bucket).nonEmpty ?? "/", body: body),
                service: .s3, endpoint: try bucketEndpoint(bucket))
        } catch let error as AWSError where error.code == "BucketAlreadyOwnedByYou" {
            return
        }
    }

    /// Whether a bucket exists and we may use it (HeadBucket: 200, or 404 `NotFound` when there is no
    /// such bucket; a 403 means it exists but is someone else's and is an error,
    /// API_HeadBucket.html, read 2026-12-04).
    public func bucketExists(_ bucket: String) async throws -> Bool {
        do {
            _ = try await client.send(
                AWSRequest(operation: "HeadBucket", method: "HEAD", path: try bucketPath(bucket).nonEmpty ?? "/"),
                service: .s3, endpoint: try bucketEndpoint(bucket))
            return true
        } catch let error as AWSError where error.status == 404 {
            return false
        }
    }

    /// Whether an object exists (HeadObject: 200, or 404 without a body for a missing key,
    /// API_HeadObject.html, read 2026-12-04).
    public func objectExists(bucket: String, key: String) async throws -> Bool {
        do {
            _ = try await head(bucket: bucket, key: key)
            return true
        } catch let error as ObjectStoreError where error.code == .notFound {
            return false
        }
    }

    /// Sends every event of the bucket to EventBridge's default bus (`PutBucketNotificationConfiguration`
    /// with `EventBridgeConfiguration`), as the template's bucket does.
    public func enableEventBridgeNotifications(_ bucket: String) async throws {
        let body = Data(
            ("<NotificationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<EventBridgeConfiguration></EventBridgeConfiguration></NotificationConfiguration>").utf8)
        _ = try await client.send(
            AWSRequest(
                operation: "PutBucketNotificationConfiguration", method: "PUT",
                path: try bucketPath(bucket).nonEmpty ?? "/", query: [("notification", "")], body: body),
            service: .s3, endpoint: try bucketEndpoint(bucket))
    }

    private func call(
        _ operation: String, _ method: String, bucket: String, key: String,
        headers: [(name: String, value: String)] = [], body: Data = Data(), maxResponseBytes: Int = 1 << 20
    ) async throws -> AWSResponse {
        guard !key.isEmpty, key.utf8.count <= 1024 else {
            throw ObjectStoreError(.invalidKey, "key \(quoted(key)) must be 1 to 1024 bytes of UTF-8")
        }
        let request = AWSRequest(
            operation: operation, method: method,
            path: try bucketPath(bucket) + "/" + SigV4.uriEncode(key, keepSlash: true), headers: headers, body: body)
        do {
            return try await client.send(
                request, service: .s3, endpoint: try bucketEndpoint(bucket), maxResponseBytes: maxResponseBytes)
        } catch let error as AWSError {
            switch error.code {
            case "NoSuchKey", "NotFound":
                throw ObjectStoreError(.notFound, "object s3://\(bucket)/\(key) does not exist", underlying: error)
            case "PreconditionFailed":
                let expected = (headers.first { $0.name == "if-match" }?.value ?? "?")
                    .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                throw ObjectStoreError(
                    .changed, "object s3://\(bucket)/\(key) is no longer version \(expected)", underlying: error)
            case "ResponseTooLarge":
                throw ObjectStoreError(
                    .tooLarge, "object s3://\(bucket)/\(key) is over the limit of \(maxResponseBytes) bytes",
                    underlying: error)
            default:
                throw ObjectStoreError(
                    .failed, "\(operation) s3://\(bucket)/\(key) failed", underlying: error)
            }
        }
    }

    private func bucketPath(_ bucket: String) throws -> String {
        guard Self.isValidBucketName(bucket) else {
            throw ObjectStoreError(.invalidKey, "\(quoted(bucket)) is not a valid S3 bucket name")
        }
        return pathStyle || !Self.isVirtualHostable(bucket) ? "/" + bucket : ""
    }

    private func bucketEndpoint(_ bucket: String) throws -> AWSEndpoint {
        guard !pathStyle, Self.isVirtualHostable(bucket) else { return endpoint }
        var hosted = endpoint
        hosted.host = bucket + "." + endpoint.host
        return hosted
    }

    /// 3–63 characters of lowercase letters, digits, dots and hyphens, starting and ending with a
    /// letter or digit (older buckets may also hold underscores and capitals: allowed in paths).
    static func isValidBucketName(_ name: String) -> Bool {
        (3...255).contains(name.utf8.count)
            && name.utf8.allSatisfy { $0 != UInt8(ascii: "/") && $0 > 0x20 && $0 < 0x7F }
    }

    /// A bucket that can be a DNS label under TLS: no dots, no capitals, no underscores.
    static func isVirtualHostable(_ name: String) -> Bool {
        (3...63).contains(name.utf8.count) && name.first != "-" && name.last != "-"
            && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }

    fileprivate static func etag(_ response: AWSResponse) -> String {
        (response.header("etag") ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
