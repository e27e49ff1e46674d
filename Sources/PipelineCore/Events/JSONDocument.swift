import Foundation

/// An event's JSON parsed without a schema, to say what a failed decoding found where it looked.
struct JSONDocument {
    /// One step of a path: an object key or an array index.
    enum Step: Equatable {
        case key(String)
        case index(Int)
    }

    /// The parsed value (`[String: Any]`, `[Any]`, `String`, `NSNumber`, `NSNull`).
    let root: Any

    /// Parses `data`; nil when it is not JSON.
    init?(_ data: Data) {
        guard let root = try? JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed) else { return nil }
        self.root = root
    }

    /// Why `data` is not JSON, in the parser's words, such as `Unexpected end of file during JSON parse.`
    static func syntaxError(in data: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)
            return nil
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            return detail ?? "\(error)"
        }
    }

    /// The steps of a decoding path.
    static func steps(_ path: [any CodingKey]) -> [Step] {
        path.map { key in key.intValue.map(Step.index) ?? .key(key.stringValue) }
    }

    /// The value at `path`; nil when there is none.
    func value(at path: [Step]) -> Any? {
        var current: Any = root
        for step in path {
            switch step {
            case .key(let key):
                guard let next = (current as? [String: Any])?[key] else { return nil }
                current = next
            case .index(let index):
                guard let array = current as? [Any], array.indices.contains(index) else { return nil }
                current = array[index]
            }
        }
        return current
    }

    /// The same document with the value at `path` replaced, as JSON bytes.
    func replacing(_ path: [Step], with value: Any) -> Data? {
        let changed = Self.replace(in: root, path: path[...], with: value)
        return try? JSONSerialization.data(withJSONObject: changed, options: .fragmentsAllowed)
    }

    private static func replace(in node: Any, path: ArraySlice<Step>, with value: Any) -> Any {
        guard let step = path.first else { return value }
        switch step {
        case .key(let key):
            guard var object = node as? [String: Any], let child = object[key] else { return node }
            object[key] = replace(in: child, path: path.dropFirst(), with: value)
            return object
        case .index(let index):
            guard var array = node as? [Any], array.indices.contains(index) else { return node }
            array[index] = replace(in: array[index], path: path.dropFirst(), with: value)
            return array
        }
    }

    /// Paths of numbers no integer field can hold: fractions and values beyond `Int`'s range.
    func nonIntegerNumbers() -> [[Step]] {
        var found: [[Step]] = []
        func visit(_ node: Any, _ path: [Step]) {
            if let object = node as? [String: Any] {
                for key in object.keys.sorted() { visit(object[key]!, path + [.key(key)]) }
            } else if let array = node as? [Any] {
                for (index, element) in array.enumerated() { visit(element, path + [.index(index)]) }
            } else if let number = node as? NSNumber, !Self.isBoolean(number), !Self.fitsInt(number) {
                found.append(path)
            }
        }
        visit(root, [])
        return found
    }

    /// Describes a JSON value for a message: `a string ("800")`, `a number (1.5)`, `an array`…
    static func describe(_ value: Any?) -> String {
        switch value {
        case nil: return "nothing"
        case is NSNull: return "null"
        case let string as String: return "a string (\(preview(string)))"
        case let number as NSNumber:
            return isBoolean(number) ? (number.boolValue ? "true" : "false") : "a number (\(number.stringValue))"
        case let array as [Any]: return "an array of \(array.count)"
        case is [String: Any]: return "an object"
        default: return "\(value!)"
        }
    }

    /// A quoted string, cut at 60 characters.
    static func preview(_ text: String, limit: Int = 60) -> String {
        let cut = text.count > limit ? String(text.prefix(limit)) + "…" : text
        return PipelineJSON.quote(cut)
    }

    /// JSONSerialization gives booleans as numbers whose Objective-C type is `char`.
    private static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    private static func fitsInt(_ number: NSNumber) -> Bool {
        if number is NSDecimalNumber { return false }
        let double = number.doubleValue
        return double.rounded() == double && double >= -9.2e18 && double <= 9.2e18
    }
}
