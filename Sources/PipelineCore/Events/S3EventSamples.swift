import Foundation

/// S3 notification events as S3 sends them, for local runs and tests.
public enum S3EventSamples {
    /// An `ObjectCreated:Put` notification for one object, with its key form-encoded as S3 does.
    /// - Parameters:
    ///   - sequence: orders events for the same key; later uploads need larger values.
    public static func put(
        bucket: String, key: String, size: Int, etag: String, sequence: Int = 0, region: String = "us-east-1"
    ) -> Data {
        let sequencer = String(
            format: "%016llX", UInt64(Date().timeIntervalSince1970 * 1000) * 1000 + UInt64(sequence % 1000))
        let json = """
            {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":\(PipelineJSON.quote(region)),\
            "eventTime":\(PipelineJSON.quote(ISO8601DateFormatter().string(from: Date()))),"eventName":"ObjectCreated:Put",\
            "userIdentity":{"principalId":"local"},"requestParameters":{"sourceIPAddress":"127.0.0.1"},\
            "responseElements":{"x-amz-request-id":"local","x-amz-id-2":"local"},\
            "s3":{"s3SchemaVersion":"1.0","configurationId":"collections-local",\
            "bucket":{"name":\(PipelineJSON.quote(bucket)),"ownerIdentity":{"principalId":"local"},\
            "arn":\(PipelineJSON.quote("arn:aws:s3:::" + bucket))},\
            "object":{"key":\(PipelineJSON.quote(S3KeyDecoding.encode(key))),"size":\(size),\
            "eTag":\(PipelineJSON.quote(etag)),"sequencer":\(PipelineJSON.quote(sequencer))}}}]}
            """
        return Data(json.utf8)
    }
}
