/// How a model counts its input: images by 28 × 28-pixel patches after the API scales them to fit
/// the model's tier, text by its tokenizer.
///
/// Vision (platform.claude.com/docs/en/build-with-claude/vision and /vision-coordinates, read
/// 2026-12-04): an image costs ⌈width/28⌉ × ⌈height/28⌉ visual tokens, after the API scales it
/// (keeping its aspect) to the largest size within both of the tier's limits. The standard tier
/// (models before Claude 4.7) allows a 1568 px long edge and 1568 visual tokens; the
/// high-resolution tier (Claude 4.7 and later, Haiku 5.5) allows 2576 px and 4784 tokens, so the
/// same large image costs up to three times as much there ("Recount tokens", Haiku 5.5 migration
/// guide).
public struct TokenRules: Sendable, Equatable {
    /// The longest edge the model reads an image at before scaling it down.
    public var maxImageEdge: Int
    /// The most visual tokens one image costs.
    public var maxImageTokens: Int
    /// Text tokens per 1,000 tokens of the tokenizer Claude 4.6 and earlier use: the newer
    /// tokenizer (Claude 4.7 and later, Sonnet 5, Haiku 5.5) counts the same text as about 30% more.
    public var textTokensPerThousand: Int

    /// Creates rules.
    public init(maxImageEdge: Int, maxImageTokens: Int, textTokensPerThousand: Int) {
        self.maxImageEdge = maxImageEdge
        self.maxImageTokens = maxImageTokens
        self.textTokensPerThousand = textTokensPerThousand
    }

    /// Pixels a side per visual token.
    public static let patch = 28

    /// Models before Claude 4.7: 1568 px, 1568 visual tokens, the older tokenizer.
    public static let standard = TokenRules(maxImageEdge: 1568, maxImageTokens: 1568, textTokensPerThousand: 1000)
    /// Claude 4.7 and later and Haiku 5.5: 2576 px, 4784 visual tokens, the newer tokenizer.
    public static let highResolution = TokenRules(
        maxImageEdge: 2576, maxImageTokens: 4784, textTokensPerThousand: 1300)

    /// The size the API reads an image of `width` × `height` at: the largest size with its aspect
    /// (never enlarged) within both the edge and the token limit.
    public func readSize(width: Int, height: Int) -> (width: Int, height: Int) {
        guard width > 0, height > 0 else { return (0, 0) }
        let long = max(width, height)
        func size(_ edge: Int) -> (width: Int, height: Int) {
            let scale = Double(edge) / Double(long)
            return (max(1, Int((Double(width) * scale).rounded())), max(1, Int((Double(height) * scale).rounded())))
        }
        var edge = min(long, maxImageEdge)
        while edge > 1, Self.patches(size(edge).width) * Self.patches(size(edge).height) > maxImageTokens {
            edge -= 1
        }
        return edge == long ? (width, height) : size(edge)
    }

    /// Visual tokens for an image of `width` × `height`.
    public func imageTokens(width: Int, height: Int) -> Int {
        let size = readSize(width: width, height: height)
        guard size.width > 0 else { return 0 }
        return Self.patches(size.width) * Self.patches(size.height)
    }

    /// Approximate text tokens for `characters` characters: four characters a token on the older
    /// tokenizer, scaled by the model's tokenizer.
    public func textTokens(characters: Int) -> Int {
        (characters + 3) / 4 * textTokensPerThousand / 1000
    }

    private static func patches(_ pixels: Int) -> Int { (pixels + patch - 1) / patch }
}
