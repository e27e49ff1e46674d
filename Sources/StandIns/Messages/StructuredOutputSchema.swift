import Foundation

/// The limits structured outputs put on a JSON schema (platform.claude.com/docs/en/build-with-claude/
/// structured-outputs, read 2026-12-04; the official Python SDK's schema transformer moves every
/// other keyword into descriptions for the same reason): every object sets
/// `additionalProperties: false`; no length, pattern or range keywords; `minItems` 0 or 1.
enum StructuredOutputSchema {
    /// Keywords the API refuses in a structured-output schema.
    static let unsupported: Set<String> = [
        "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "multipleOf", "maxItems", "uniqueItems", "minProperties", "maxProperties", "patternProperties",
    ]

    /// Checks `schema` and everything below it.
    /// - Throws: a 400 naming the first place that breaks a rule.
    static func check(_ schema: [String: Any], path: String) throws {
        if let keyword = schema.keys.sorted().first(where: unsupported.contains) {
            throw APIErrorResponse.invalid("\(path): the keyword '\(keyword)' is not supported in structured outputs")
        }
        if let minItems = schema["minItems"] as? Int, minItems > 1 {
            throw APIErrorResponse.invalid("\(path): 'minItems' values other than 0 or 1 are not supported")
        }
        let types = (schema["type"] as? String).map { [$0] } ?? (schema["type"] as? [String] ?? [])
        if types.contains("object") || schema["properties"] != nil {
            guard schema["additionalProperties"] as? Bool == false else {
                throw APIErrorResponse.invalid(
                    "\(path): For 'object' type, 'additionalProperties' must be explicitly set to false")
            }
        }
        for (name, child) in schema["properties"] as? [String: Any] ?? [:] {
            if let child = child as? [String: Any] { try check(child, path: "\(path).properties.\(name)") }
        }
        if let items = schema["items"] as? [String: Any] { try check(items, path: "\(path).items") }
        for key in ["anyOf", "allOf"] {
            for (index, child) in (schema[key] as? [[String: Any]] ?? []).enumerated() {
                try check(child, path: "\(path).\(key).\(index)")
            }
        }
        for (name, child) in schema["$defs"] as? [String: Any] ?? [:] {
            if let child = child as? [String: Any] { try check(child, path: "\(path).$defs.\(name)") }
        }
    }
}
