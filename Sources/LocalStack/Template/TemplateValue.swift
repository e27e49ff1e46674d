import Foundation
import Yams

/// A value in a CloudFormation template: YAML read into JSON-like cases, with the short-form
/// intrinsic tags (`!Ref X`, `!GetAtt A.B`, `!Sub s`, ...) turned into their long forms
/// (`{"Ref": "X"}`, `{"Fn::GetAtt": ["A", "B"]}`, ...).
public indirect enum TemplateValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case list([TemplateValue])
    case map([String: TemplateValue])

    /// Reads a template's YAML (or JSON, which is YAML).
    /// - Throws: ``TemplateError`` when it does not parse.
    public static func parse(yaml: String) throws -> TemplateValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            throw TemplateError("the template is not valid YAML: \(error)")
        }
        guard let node else { throw TemplateError("the template is empty") }
        return try TemplateValue(node)
    }

    init(_ node: Node) throws {
        let tag = node.tag.rawValue
        if tag.hasPrefix("!") {
            self = try Self.intrinsic(String(tag.dropFirst()), Self.untagged(node))
            return
        }
        self = try Self.untagged(node)
    }

    private static func untagged(_ node: Node) throws -> TemplateValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain { return .string(scalar.string) }
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .bool: return .bool(node.bool ?? false)
            case .int, .float: return node.float.map { .number($0) } ?? .string(scalar.string)
            case .null: return .null
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            return .list(try sequence.map(TemplateValue.init))
        case .mapping(let mapping):
            var map: [String: TemplateValue] = [:]
            for (key, value) in mapping {
                guard let name = key.string else { throw TemplateError("a mapping key is not a string") }
                map[name] = try TemplateValue(value)
            }
            return .map(map)
        case .alias:
            throw TemplateError("YAML aliases are not supported in templates")
        }
    }

    /// `!Ref X` → `{"Ref": "X"}`; `!GetAtt A.B` → `{"Fn::GetAtt": ["A", "B"]}`; `!Name v` → `{"Fn::Name": v}`.
    private static func intrinsic(_ name: String, _ argument: TemplateValue) throws -> TemplateValue {
        switch name {
        case "Ref", "Condition":
            return .map([name: argument])
        case "GetAtt":
            if case .string(let text) = argument {
                guard let dot = text.firstIndex(of: ".") else {
                    throw TemplateError("!GetAtt \(text) names no attribute (use Resource.Attribute)")
                }
                return .map([
                    "Fn::GetAtt": .list([
                        .string(String(text[..<dot])), .string(String(text[text.index(after: dot)...])),
                    ])
                ])
            }
            return .map(["Fn::GetAtt": argument])
        default:
            return .map(["Fn::\(name)": argument])
        }
    }

    /// The string, when this is one (numbers and booleans print as CloudFormation passes them).
    public var text: String? {
        switch self {
        case .string(let value): return value
        case .number(let value): return value == value.rounded() ? String(Int(value)) : String(value)
        case .bool(let value): return value ? "true" : "false"
        default: return nil
        }
    }

    /// The map, when this is one.
    public var map: [String: TemplateValue]? {
        if case .map(let value) = self { return value }
        return nil
    }

    /// The list, when this is one.
    public var list: [TemplateValue]? {
        if case .list(let value) = self { return value }
        return nil
    }

    /// A member of a map.
    public subscript(key: String) -> TemplateValue? { map?[key] }

    /// This value as JSON (for an event pattern).
    public func json() throws -> String {
        let data = try JSONSerialization.data(
            withJSONObject: foundationObject, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    var foundationObject: Any {
        switch self {
        case .string(let value): return value
        case .number(let value): return value == value.rounded() ? Int(value) as Any : value as Any
        case .bool(let value): return value
        case .null: return NSNull()
        case .list(let values): return values.map(\.foundationObject)
        case .map(let values): return values.mapValues(\.foundationObject)
        }
    }
}

/// A template that cannot be read or resolved.
public struct TemplateError: Error, CustomStringConvertible {
    /// What is wrong.
    public let description: String

    /// Creates an error.
    public init(_ description: String) {
        self.description = description
    }
}
