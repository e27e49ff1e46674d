import Foundation

/// JSON decoding that turns Foundation's `DecodingError` into an ``EventError`` naming the field,
/// the type it must have, and what was found there.
public enum EventDecoding {
    /// Decodes `T` from JSON, describing any failure in terms of `what` and the field path.
    /// - Parameters:
    ///   - type: the type to decode.
    ///   - data: the JSON bytes.
    ///   - what: a name for the message, such as `"ImageProcessed event"`.
    /// - Throws: ``EventError`` with code `invalidJSON`, `missingField` or `invalidField`.
    public static func decode<T: Decodable>(
        _ type: T.Type, from data: Data, what: String, userInfo: [CodingUserInfoKey: any Sendable] = [:]
    ) throws -> T {
        do {
            let decoder = JSONDecoder()
            decoder.userInfo = userInfo
            return try decoder.decode(type, from: data)
        } catch let error as DecodingError {
            if isPathless(error), let document = JSONDocument(data),
                let field = misfitNumber(in: document, decoding: type)
            {
                // Foundation reports a fraction or an out-of-range number for an integer field
                // as invalid JSON without a path; find the number by trying without it.
                throw EventError(
                    .invalidField,
                    "\(what) field \"\(format(field))\" must be an integer, found "
                        + JSONDocument.describe(document.value(at: field)))
            }
            throw describe(error, in: data, what: what)
        }
    }

    /// Rewrites a decoding error as an ``EventError`` that names the field at fault and, when
    /// `data` is given, what that field holds.
    /// - Parameters:
    ///   - error: the error `JSONDecoder` threw.
    ///   - data: the JSON it was decoding, to describe the value found and why it is not JSON.
    ///   - what: a name for the message, such as `"ImageProcessed event"`.
    public static func describe(_ error: DecodingError, in data: Data? = nil, what: String) -> EventError {
        let document = data.flatMap(JSONDocument.init)
        func found(_ path: [any CodingKey]) -> String {
            guard let document else { return "" }
            return ", found " + JSONDocument.describe(document.value(at: JSONDocument.steps(path)))
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return EventError(.missingField, "\(what) is missing required field \"\(field)\"")
        case .valueNotFound(let expected, let context) where context.codingPath.isEmpty:
            return EventError(.invalidJSON, "\(what) must be a JSON \(rootName(expected)), found null")
        case .valueNotFound(_, let context):
            return EventError(.missingField, "\(what) has null for required field \"\(path(context.codingPath))\"")
        case .typeMismatch(let expected, let context) where context.codingPath.isEmpty:
            return EventError(.invalidJSON, "\(what) must be a JSON \(rootName(expected))\(found([]))")
        case .typeMismatch(let expected, let context):
            let field = path(context.codingPath)
            return EventError(
                .invalidField, "\(what) field \"\(field)\" must be \(typeName(expected))\(found(context.codingPath))")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return notJSON(data, what: what)
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            let rule =
                context.debugDescription.contains("UUID")
                ? "must be a UUID" : context.debugDescription.trimmingCharacters(in: CharacterSet(charactersIn: "."))
            return EventError(.invalidField, "\(what) field \"\(field)\": \(rule)\(found(context.codingPath))")
        @unknown default:
            return EventError(.invalidJSON, "\(what) could not be decoded: \(error)")
        }
    }

    /// `what is not valid JSON`, with the parser's reason, the size and how the bytes start.
    private static func notJSON(_ data: Data?, what: String) -> EventError {
        guard let data else { return EventError(.invalidJSON, "\(what) is not valid JSON") }
        if data.isEmpty { return EventError(.invalidJSON, "\(what) is not valid JSON: it is empty") }
        let reason = JSONDocument.syntaxError(in: data) ?? "it could not be decoded"
        let start = JSONDocument.preview(String(decoding: data.prefix(200), as: UTF8.self), limit: 40)
        return EventError(
            .invalidJSON,
            "\(what) is not valid JSON: \(reason.trimmingCharacters(in: CharacterSet(charactersIn: ".")))"
                + " (\(data.count) bytes, starting \(start))")
    }

    /// Any JSON value, skipped: for probes that only ask whether a field is there.
    struct Ignored: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    private static func isPathless(_ error: DecodingError) -> Bool {
        if case .dataCorrupted(let context) = error { return context.codingPath.isEmpty }
        return false
    }

    /// The path of the number whose replacement by 0 lets decoding past it, if any.
    private static func misfitNumber<T: Decodable>(in document: JSONDocument, decoding type: T.Type)
        -> [JSONDocument.Step]?
    {
        document.nonIntegerNumbers().first { path in
            guard let changed = document.replacing(path, with: 0) else { return false }
            do {
                _ = try JSONDecoder().decode(type, from: changed)
                return true
            } catch let error as DecodingError {
                return !isPathless(error)
            } catch {
                return true
            }
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        format(JSONDocument.steps(keys))
    }

    private static func format(_ steps: [JSONDocument.Step]) -> String {
        var result = ""
        for step in steps {
            switch step {
            case .index(let index): result += "[\(index)]"
            case .key(let key): result += result.isEmpty ? key : "." + key
            }
        }
        return result
    }

    private static func rootName(_ type: Any.Type) -> String {
        let name = typeName(type)
        return name.hasPrefix("an ") ? String(name.dropFirst(3)) : name
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            return String(describing: type).hasPrefix("Array") ? "an array" : "an object"
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
