/// A Claude model id as Amazon Bedrock takes it: a foundation-model id such as
/// `anthropic.claude-haiku-4-5-20251001-v1:0`, or an inference profile, the same id after a
/// geography: `us.`, `eu.`, `apac.`, `jp.`, `au.`, `ca.`, `us-gov.` (geographic profiles) or
/// `global.` (docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html and
/// platform.claude.com/docs/en/build-with-claude/claude-on-amazon-bedrock, read 2026-12-04).
public struct BedrockModelID: Sendable, Equatable, CustomStringConvertible {
    /// The profile's geography, or nil for a bare foundation-model id.
    public var geography: String?
    /// The foundation-model id.
    public var foundationModel: String

    /// The geographies inference profiles are named with.
    public static let geographies = ["global", "us", "eu", "apac", "jp", "au", "ca", "us-gov"]

    /// Parses `id`; nil when it is not an `anthropic.` id, with or without a geography.
    public init?(_ id: String) {
        if id.hasPrefix("anthropic.") {
            geography = nil
            foundationModel = id
            return
        }
        guard let dot = id.firstIndex(of: "."), Self.geographies.contains(String(id[..<dot])),
            id[id.index(after: dot)...].hasPrefix("anthropic.")
        else { return nil }
        geography = String(id[..<dot])
        foundationModel = String(id[id.index(after: dot)...])
    }

    /// An inference profile id.
    public init(geography: String?, foundationModel: String) {
        self.geography = geography
        self.foundationModel = foundationModel
    }

    /// The id as sent: `geography.foundationModel`, or the foundation model alone.
    public var description: String { geography.map { "\($0).\(foundationModel)" } ?? foundationModel }

    /// Whether the id names a geographic profile, which AWS prices about 10% above the global one
    /// (docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html, read 2026-12-04).
    public var isGeographic: Bool { geography != nil && geography != "global" }

    /// The geographic profile for a region (`us-east-1` → `us`, `eu-west-1` → `eu`, `ap-*` → `apac`),
    /// or `global` for a region outside those.
    public static func geography(forRegion region: String) -> String {
        if region.hasPrefix("us-gov-") { return "us-gov" }
        if region.hasPrefix("us-") { return "us" }
        if region.hasPrefix("eu-") { return "eu" }
        if region.hasPrefix("ap-northeast-1") { return "jp" }
        if region.hasPrefix("ap-") { return "apac" }
        if region.hasPrefix("ca-") { return "ca" }
        return "global"
    }
}
