extension ClaudeCatalogue {
    /// Earlier models Anthropic still serves (models overview and model-deprecations, read 2026-12-04).
    static let earlier: [ClaudeModelSpec] = [
        ClaudeModelSpec(
            id: "claude-opus-5", name: "Claude Opus 5", bedrockID: "anthropic.claude-opus-5",
            price: .flat(input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.50),
            thinking: ThinkingRules(accepted: [.adaptive, .disabled], onByDefault: true, offOnlyUpTo: .high),
            effort: EffortRules(levels: Effort.allCases, defaultLevel: .high),
            forcedToolUse: true, structuredOutputs: true, rejectsPrefill: true, tokens: .highResolution,
            status: "legacy",
            sources: [
                "about-claude/models/whats-new-opus-5 (thinking on by default; disabled only at effort high or lower)",
                "models/opus-5/overview (prices)",
            ]),
        ClaudeModelSpec(
            id: "claude-sonnet-5", name: "Claude Sonnet 5", bedrockID: "anthropic.claude-sonnet-5",
            price: .flat(input: 2, output: 10, cacheWrite5m: 2.50, cacheWrite1h: 4, cacheRead: 0.20),
            thinking: ThinkingRules(accepted: [.adaptive, .disabled], onByDefault: true, offOnlyUpTo: nil),
            effort: EffortRules(levels: Effort.allCases, defaultLevel: .high),
            forcedToolUse: true, structuredOutputs: true, rejectsPrefill: true, tokens: .highResolution,
            status: "legacy",
            sources: [
                "models/sonnet-5/overview (adaptive on by default; enabled → 400; sampling parameters → 400; new tokenizer)"
            ]),
        ClaudeModelSpec(
            id: "claude-opus-4-8", name: "Claude Opus 4.8", bedrockID: "anthropic.claude-opus-4-8",
            price: .flat(input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.50),
            thinking: ThinkingRules(accepted: [.adaptive, .disabled], onByDefault: false, offOnlyUpTo: nil),
            effort: EffortRules(levels: Effort.allCases, defaultLevel: .high),
            forcedToolUse: true, structuredOutputs: true, rejectsPrefill: true, tokens: .highResolution,
            status: "legacy",
            sources: ["build-with-claude/thinking-troubleshooting (adaptive only, off by default, enabled → 400)"]),
        ClaudeModelSpec(
            id: "claude-opus-4-7", name: "Claude Opus 4.7", bedrockID: "anthropic.claude-opus-4-7",
            price: .flat(input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.50),
            thinking: ThinkingRules(accepted: [.adaptive, .disabled], onByDefault: false, offOnlyUpTo: nil),
            effort: EffortRules(levels: Effort.allCases, defaultLevel: .high),
            forcedToolUse: true, structuredOutputs: true, rejectsPrefill: true, tokens: .highResolution,
            status: "legacy",
            sources: [
                "about-claude/models/migration-guide (Opus 4.7: extended thinking removed, high-resolution images)",
                "build-with-claude/thinking-troubleshooting",
            ]),
        ClaudeModelSpec(
            id: "claude-opus-4-6", name: "Claude Opus 4.6", bedrockID: "anthropic.claude-opus-4-6-v1",
            bedrockGeographies: ["global", "us", "eu", "jp", "apac"],
            price: .flat(input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.50),
            thinking: ThinkingRules(accepted: [.adaptive, .enabled, .disabled], onByDefault: false, offOnlyUpTo: nil),
            effort: EffortRules(levels: [.low, .medium, .high, .max], defaultLevel: .high),
            forcedToolUse: true, structuredOutputs: true, rejectsPrefill: true, tokens: .standard,
            status: "legacy",
            sources: [
                "about-claude/models/migration-guide (Claude 4.6: prefill → 400; enabled deprecated)",
                "build-with-claude/structured-outputs (generally available on Opus 4.6)",
            ]),
        ClaudeModelSpec(
            id: "claude-sonnet-4-6", name: "Claude Sonnet 4.6", bedrockID: "anthropic.claude-sonnet-4-6",
            bedrockGeographies: ["global", "us", "eu", "jp"],
            price: .flat(input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.30),
            thinking: ThinkingRules(accepted: [.adaptive, .enabled, .disabled], onByDefault: false, offOnlyUpTo: nil),
            effort: EffortRules(levels: [.low, .medium, .high, .max], defaultLevel: .high),
            forcedToolUse: true, structuredOutputs: true, rejectsPrefill: true, tokens: .standard,
            status: "legacy",
            sources: ["about-claude/models/migration-guide (Claude 4.6)", "build-with-claude/structured-outputs"]),
        ClaudeModelSpec(
            id: "claude-sonnet-4-5", name: "Claude Sonnet 4.5", otherIDs: ["claude-sonnet-4-5-20250929"],
            bedrockID: "anthropic.claude-sonnet-4-5-20250929-v1:0", bedrockGeographies: ["global", "us", "eu", "jp"],
            price: .flat(input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.30),
            thinking: ThinkingRules(accepted: [.enabled, .disabled], onByDefault: false, offOnlyUpTo: nil),
            effort: .unsupported, forcedToolUse: true, structuredOutputs: true, rejectsPrefill: false,
            tokens: .standard, status: "legacy",
            sources: [
                "build-with-claude/thinking-troubleshooting (extended only; adaptive → 400)",
                "build-with-claude/structured-outputs", "about-claude/model-deprecations",
            ]),
        ClaudeModelSpec(
            id: "claude-haiku-4-5", name: "Claude Haiku 4.5", otherIDs: ["claude-haiku-4-5-20251001"],
            bedrockID: "anthropic.claude-haiku-4-5-20251001-v1:0",
            price: .flat(input: 1, output: 5, cacheWrite5m: 1.25, cacheWrite1h: 2, cacheRead: 0.10),
            thinking: ThinkingRules(accepted: [.enabled, .disabled], onByDefault: false, offOnlyUpTo: nil),
            effort: .unsupported, forcedToolUse: true, structuredOutputs: true, rejectsPrefill: false,
            tokens: .standard, status: "legacy",
            sources: [
                "about-claude/models/overview (Haiku 4.5: extended thinking, effort not supported)",
                "build-with-claude/structured-outputs", "docs.aws.amazon.com model-card-anthropic-claude-haiku-4-5",
            ]),
    ]
}
