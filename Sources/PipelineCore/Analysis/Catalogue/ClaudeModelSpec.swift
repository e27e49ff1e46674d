/// What the Messages API accepts and charges for one Claude model: the facts our request is
/// shaped by, the stand-in enforces and `collections cost` prices with. One entry per model in
/// ``ClaudeCatalogue``; each names the pages it was read from.
public struct ClaudeModelSpec: Sendable, Equatable {
    /// The Claude API id, such as `claude-haiku-5-5`.
    public var id: String
    /// The product name, such as `Claude Haiku 5.5`.
    public var name: String
    /// Other ids the Claude API accepts for this model (dated snapshots, aliases).
    public var otherIDs: [String] = []
    /// The Amazon Bedrock model id, such as `anthropic.claude-haiku-5-5`.
    public var bedrockID: String
    /// The inference-profile geographies Bedrock offers the model in (`global`, `us`, `eu`, …).
    /// Every catalogued model is called on demand only through a profile: its bare id is refused.
    public var bedrockGeographies: [String] = ["global", "us", "eu"]
    /// List prices on the Claude API; nil for a model outside the catalogue.
    public var price: ClaudePrice?
    /// The `thinking` settings the model accepts, and what it does without one.
    public var thinking: ThinkingRules
    /// The `output_config.effort` levels it accepts (empty: no effort parameter) and its default.
    public var effort: EffortRules
    /// Whether `tool_choice` `{"type": "tool"}` or `{"type": "any"}` is accepted at all.
    public var forcedToolUse: Bool
    /// Whether `output_config.format` (structured outputs, JSON schema) is accepted.
    public var structuredOutputs: Bool
    /// Whether a last `assistant` message (prefill) is rejected with a 400.
    public var rejectsPrefill: Bool
    /// How the model counts an image and a text as input tokens.
    public var tokens: TokenRules
    /// `active` or `legacy`, as the models overview says.
    public var status: String
    /// The pages the facts come from, and when they were read.
    public var sources: [String]

    /// The shape used for a model outside the catalogue (`COLLECTIONS_CLAUDE_MODEL_UNLISTED=1`): what
    /// every current model accepts. Structured outputs, no `thinking` (the model's default), no
    /// forced tool, effort at any level, the high-resolution image tier; no price.
    public static func unlisted(_ id: String) -> ClaudeModelSpec {
        ClaudeModelSpec(
            id: id, name: id, bedrockID: id, price: nil,
            thinking: ThinkingRules(accepted: [.adaptive], onByDefault: true, offOnlyUpTo: nil),
            effort: EffortRules(levels: Effort.allCases, defaultLevel: nil), forcedToolUse: false,
            structuredOutputs: true, rejectsPrefill: true, tokens: .highResolution, status: "unlisted",
            sources: ["not catalogued: COLLECTIONS_CLAUDE_MODEL_UNLISTED=1"])
    }

    /// The `thinking.type` to send for the least thinking the model allows at `effort`, or nil
    /// to send none (the model's default, or the least it allows).
    public func leastThinking(at effort: Effort?) -> ThinkingType? {
        guard let lowest = thinking.lowest else { return nil }
        if let limit = thinking.offOnlyUpTo, let effort, effort > limit { return nil }
        return lowest
    }

    /// Whether a request with `thinking` (nil when absent) thinks before answering.
    public func thinks(with type: ThinkingType?) -> Bool { thinking.thinksFirst(type) }

    /// Creates an entry.
    public init(
        id: String, name: String, otherIDs: [String] = [], bedrockID: String,
        bedrockGeographies: [String] = ["global", "us", "eu"], price: ClaudePrice?,
        thinking: ThinkingRules, effort: EffortRules, forcedToolUse: Bool, structuredOutputs: Bool,
        rejectsPrefill: Bool, tokens: TokenRules, status: String, sources: [String]
    ) {
        self.id = id
        self.name = name
        self.otherIDs = otherIDs
        self.bedrockID = bedrockID
        self.bedrockGeographies = bedrockGeographies
        self.price = price
        self.thinking = thinking
        self.effort = effort
        self.forcedToolUse = forcedToolUse
        self.structuredOutputs = structuredOutputs
        self.rejectsPrefill = rejectsPrefill
        self.tokens = tokens
        self.status = status
        self.sources = sources
    }

    /// Whether `id` names this model: its Claude API id, another id, or its Bedrock id with or
    /// without a profile's geography.
    public func answers(to id: String) -> Bool {
        id == self.id || otherIDs.contains(id) || BedrockModelID(id)?.foundationModel == bedrockID
    }
}

/// A `thinking.type` value.
public enum ThinkingType: String, Sendable, CaseIterable, Hashable {
    /// The model decides whether and how much to think (`output_config.effort` sets depth).
    case adaptive
    /// Manual extended thinking with `budget_tokens`.
    case enabled
    /// Thinking off.
    case disabled
    /// Up-front thinking off; progress between tool calls still comes back as thinking blocks.
    case betweenTools = "between_tools"

    /// Whether a request with this type thinks before it answers.
    public var thinksFirst: Bool { self == .adaptive || self == .enabled }
}

/// What `thinking` a model accepts.
public struct ThinkingRules: Sendable, Equatable {
    /// The accepted `thinking.type` values; any other is a 400.
    public var accepted: Set<ThinkingType>
    /// Whether the model thinks when the request sends no `thinking`.
    public var onByDefault: Bool
    /// Efforts above which thinking cannot be off (`disabled`/`between_tools` with a higher effort is a 400).
    public var offOnlyUpTo: Effort?

    /// Creates rules.
    public init(accepted: Set<ThinkingType>, onByDefault: Bool, offOnlyUpTo: Effort?) {
        self.accepted = accepted
        self.onByDefault = onByDefault
        self.offOnlyUpTo = offOnlyUpTo
    }

    /// The least thinking the model allows, or nil when the least is sending nothing.
    public var lowest: ThinkingType? {
        if accepted.contains(.disabled) { return onByDefault ? .disabled : nil }
        if accepted.contains(.betweenTools) { return .betweenTools }
        return nil
    }

    /// Whether a request thinks before answering, given its `thinking` (nil when absent).
    public func thinksFirst(_ type: ThinkingType?) -> Bool { type.map(\.thinksFirst) ?? onByDefault }
}

/// An `output_config.effort` level.
public enum Effort: String, Sendable, CaseIterable, Comparable, Hashable {
    case low, medium, high, xhigh, max

    public static func < (lhs: Effort, rhs: Effort) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What `output_config.effort` a model accepts.
public struct EffortRules: Sendable, Equatable {
    /// Accepted levels; empty when the model takes no effort parameter.
    public var levels: [Effort]
    /// The level used when the request names none.
    public var defaultLevel: Effort?

    /// Creates rules.
    public init(levels: [Effort], defaultLevel: Effort?) {
        self.levels = levels
        self.defaultLevel = defaultLevel
    }

    /// No effort parameter.
    public static let unsupported = EffortRules(levels: [], defaultLevel: nil)
}
