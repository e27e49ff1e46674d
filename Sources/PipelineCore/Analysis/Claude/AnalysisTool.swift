import Foundation

/// The prompt and the JSON schema of our ``Analysis``: sent as structured outputs'
/// `output_config.format` (the answer is JSON in a text block), or as a tool's `input_schema` for
/// a model without structured outputs (the answer is the tool call's `input`).
public enum AnalysisTool {
    /// The tool's name.
    public static let name = "record_image_analysis"
    /// Bumped whenever the prompt or schema changes: a new version means new analysis rows.
    public static let promptVersion = "claude-2"

    /// The instruction sent with the image.
    public static let prompt = """
        Describe this photo for a personal photo library that people search by meaning. \
        Answer once, in the analysis schema. Pick the single best category. Write a one-sentence summary and a \
        short description of what matters for search (subjects, setting, activity, mood, season, \
        notable details). Tags are 3 to 15 short lowercase keywords. Objects are the distinct \
        things visible. Colors are the dominant colours in plain words, most prominent first. \
        detected_text is any legible text verbatim, or an empty string. Do not guess names of \
        people.
        """

    /// The tool definition for the Messages API.
    public static var definition: [String: Any] {
        [
            "name": name,
            "description": "Record the structured analysis of the image.",
            "input_schema": inputSchema,
        ]
    }

    /// The JSON schema of ``Analysis``, within what structured outputs accept
    /// (platform.claude.com/docs/en/build-with-claude/structured-outputs, read 2026-12-04): every
    /// object sets `additionalProperties: false` and lists all its properties as required; no
    /// length, pattern or range keywords.
    public static var inputSchema: [String: Any] {
        let strings: [String: Any] = ["type": "array", "items": ["type": "string"]]
        return [
            "type": "object",
            "properties": [
                "category": ["type": "string", "enum": AnalysisCategory.allCases.map(\.rawValue)],
                "summary": ["type": "string", "description": "One sentence."],
                "description": ["type": "string", "description": "Two to four sentences."],
                "tags": strings.merging(["description": "Short lowercase keywords."]) { $1 },
                "objects": strings,
                "colors": strings,
                "detected_text": ["type": "string", "description": "Legible text, verbatim; empty if none."],
            ],
            "required": ["category", "summary", "description", "tags", "objects", "colors", "detected_text"],
            "additionalProperties": false,
        ]
    }
}
