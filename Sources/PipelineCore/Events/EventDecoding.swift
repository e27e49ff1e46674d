import Foundation

/// JSON decoding that turns Foundation's `DecodingError` into an ``EventError`` naming the field.
public enum EventDecoding {
    /// Decodes `T` from JSON, describing any failure in terms of `what` and the field path.
    /// - Parameters:
    ///   - type: the type to decode.
    ///   - data: the JSON bytes.
    ///   - what: a name for the message, such as `"ImageProcessed detail"`.
    /// - Throws: ``EventError`` with code `invalidJSON`, `missingField` or `invalidField`.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw describe(error, what: what)
        }
    }

    /// Rewrites a decoding error as an ``EventError`` that names the field at fault.
    public static func describe(_ error: DecodingError, what: String) -> EventError {
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return EventError(.missingField, "\(what) is missing required field \"\(field)\"")
        case .valueNotFound(_, let context):
            return EventError(.missingField, "\(what) has null for required field \"\(path(context.codingPath))\"")
        case .typeMismatch(let expected, let context):
            let field = path(context.codingPath)
            let place = field.isEmpty ? "" : " field \"\(field)\""
            return EventError(.invalidField, "\(what)\(place) must be \(typeName(expected))")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return EventError(.invalidJSON, "\(what) is not valid JSON")
            }
            let field = path(context.codingPath)
            return EventError(.invalidField, "\(what) field \"\(field)\": \(context.debugDescription)")
        @unknown default:
            return EventError(.invalidJSON, "\(what) could not be decoded")
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        var result = ""
        for key in keys {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return result
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }
}

extension KeyedDecodingContainer {
    /// Decodes a string that must not be empty.
    func decodeNonEmpty(_ key: Key) throws -> String {
        let value = try decode(String.self, forKey: key)
        guard !value.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "must not be empty")
        }
        return value
    }
}
