/// Lambda's size limits for a function's deployment package.
public struct ArchiveLimits: Sendable {
    /// Lambda refuses a function whose unpacked code is larger (250 MB: 262,144,000 bytes).
    public var maximumUnpackedBytes: Int64
    /// A zip larger than this can't be uploaded directly with CreateFunction (50 MB); from S3 it can.
    public var directUploadBytes: Int64

    /// Lambda's published limits.
    public static let lambda = ArchiveLimits(maximumUnpackedBytes: 262_144_000, directUploadBytes: 52_428_800)

    /// Creates limits.
    public init(maximumUnpackedBytes: Int64, directUploadBytes: Int64) {
        self.maximumUnpackedBytes = maximumUnpackedBytes
        self.directUploadBytes = directUploadBytes
    }
}
