/// The Claude models Analyzer knows how to call, as Anthropic's pages describe them on
/// ``ClaudeCatalogue/readOn``. The client shapes its request from an entry, the stand-in enforces
/// the entry's rules, and `collections cost` prices with it.
///
/// Pages (platform.claude.com/docs/en/…, read 2026-12-04): `about-claude/models/overview`;
/// `about-claude/pricing`; each model's `models/<model>/overview`, `whats-new-…` and
/// `migration-guide`; `build-with-claude/thinking-troubleshooting` (the thinking types each model
/// accepts and its default); `build-with-claude/structured-outputs`; `build-with-claude/vision`;
/// `api/versioning` (2026-10-21). Bedrock ids: the same model pages and
/// docs.aws.amazon.com/bedrock/latest/userguide/model-card-anthropic-*.
public enum ClaudeCatalogue {
    /// When the facts were read.
    public static let readOn = "2026-12-04"

    /// The default model: the one made for classification and extraction, and the cheapest.
    public static let defaultModelID = "claude-haiku-5-5"

    /// Every catalogued model, newest first.
    public static let models: [ClaudeModelSpec] = current + earlier

    /// The entry for a Claude API id, dated snapshot id or alias; nil when uncatalogued.
    public static func model(_ id: String) -> ClaudeModelSpec? { models.first { $0.answers(to: id) } }

    /// The ids a user can choose, for error messages and help.
    public static var ids: [String] { models.map(\.id) }

    /// The current generation: Fable 5.2 and 5.1, Opus 5.5, Sonnet 5.5, Haiku 5.5.
    static let current: [ClaudeModelSpec] = [
        ClaudeModelSpec(
            id: "claude-fable-5-2", name: "Claude Fable 5.2", bedrockID: "anthropic.claude-fable-5-2",
            price: .flat(input: 8, output: 40, cacheWrite5m: 10, cacheWrite1h: 16, cacheRead: 0.20),
            thinking: ThinkingRules(accepted: [.adaptive], onByDefault: true, offOnlyUpTo: nil),
            effort: EffortRules(levels: Effort.allCases, defaultLevel: .high),
            forcedToolUse: false, structuredOutputs: true, rejectsPrefill: true, tokens: .highResolution,
            status: "active",
            sources: [
                "models/fable-5-2/whats-new-fable-5-2 (adaptive thinking always on; forced tool use as Fable 5.1)",
                "prices: third-party launch notes only (Anthropic's pricing copy predates 5.2)",
            ]),
        ClaudeModelSpec(
            id: "claude-fable-5-1", name: "Claude Fable 5.1", bedrockID: "anthropic.claude-fable-5-1",
            price: .flat(input: 10, output: 50, cacheWrite5m: 12.50, cacheWrite1h: 20, cacheRead: 0.25),
            thinking: ThinkingRules(accepted: [.adaptive], onByDefault: true, offOnlyUpTo: nil),
            effort: EffortRules(levels: Effort.allCases, defaultLevel: .high),
            forcedToolUse: false, structuredOutputs: true, rejectsPrefill: true, tokens: .highResolution,
            status: "active",
            sources: [
                "models/fable-5-1/whats-new-fable-5-1 (tool_choice tool/any → 400; thinking cannot be disabled)",
                "about-claude/pricing (Fable 5.1 row)",
                "about-claude/models/overview (adaptive, always on; effort high)",
            ]),
        ClaudeModelSpec(
            id: "claude-opus-5-5", name: "Claude Opus 5.5", bedrockID: "anthropic.claude-opus-5-5",
            price: .flat(input: 4, output: 20, cacheWrite5m: 5, cacheWrite1h: 8, cacheRead: 0.20),
            thinking: ThinkingRules(accepted: [.adaptive], onByDefault: true, offOnlyUpTo: nil),
            effort: EffortRules(levels: Effort.allCases, defaultLevel: .medium),
            forcedToolUse: false, structuredOutputs: true, rejectsPrefill: true, tokens: .highResolution,
            status: "active",
            sources: [
                "models/opus-5-5/whats-new-opus-5-5 (thinking disabled/enabled → 400; forced tool use → 400)",
                "models/opus-5-5/overview (prices, default effort medium)",
            ]),
        ClaudeModelSpec(
            id: "claude-sonnet-5-5", name: "Claude Sonnet 5.5", bedrockID: "anthropic.claude-sonnet-5-5",
            price: .flat(input: 2, output: 10, cacheWrite5m: 2.50, cacheWrite1h: 4, cacheRead: 0.20),
            thinking: ThinkingRules(accepted: [.adaptive, .betweenTools], onByDefault: true, offOnlyUpTo: .high),
            effort: EffortRules(levels: Effort.allCases, defaultLevel: .high),
            forcedToolUse: false, structuredOutputs: true, rejectsPrefill: true, tokens: .highResolution,
            status: "active",
            sources: [
                "models/sonnet-5-5/whats-new-sonnet-5-5 (between_tools instead of disabled, only up to effort high; "
                    + "forced tool use → 400; tokenizer as Sonnet 5)",
                "models/sonnet-5-5/overview (prices, default effort high)",
            ]),
        ClaudeModelSpec(
            id: "claude-haiku-5-5", name: "Claude Haiku 5.5", bedrockID: "anthropic.claude-haiku-5-5",
            price: ClaudePrice(
                base: .init(input: 0.10, output: 0.50, cacheWrite5m: 0.125, cacheWrite1h: 0.20, cacheRead: 0.01),
                longPrompt: .init(input: 0.50, output: 2.50, cacheWrite5m: 0.625, cacheWrite1h: 1.00, cacheRead: 0.05),
                longPromptThreshold: 100_000),
            thinking: ThinkingRules(accepted: [.adaptive, .disabled], onByDefault: true, offOnlyUpTo: .high),
            effort: EffortRules(levels: Effort.allCases, defaultLevel: .medium),
            forcedToolUse: true, structuredOutputs: true, rejectsPrefill: true, tokens: .highResolution,
            status: "active",
            sources: [
                "models/haiku-5-5/overview (prices up to and over 100,000-token prompts; adaptive; effort medium)",
                "build-with-claude/prompt-engineering/prompting-claude-haiku-5-5 (disabled only at effort high or lower)",
                "models/haiku-5-5/migration-guide (adaptive thinking on by default, off with disabled; prefill → 400; "
                    + "Recount tokens: newer tokenizer, large images count as more visual tokens)",
            ]),
    ]
}

extension ClaudePrice {
    /// One tier of prices for every prompt size.
    static func flat(input: Double, output: Double, cacheWrite5m: Double, cacheWrite1h: Double, cacheRead: Double)
        -> ClaudePrice
    {
        ClaudePrice(
            base: Rates(
                input: input, output: output, cacheWrite5m: cacheWrite5m, cacheWrite1h: cacheWrite1h,
                cacheRead: cacheRead),
            longPrompt: nil, longPromptThreshold: nil)
    }
}
