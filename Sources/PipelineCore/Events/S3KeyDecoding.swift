/// Decodes object keys as S3 event notifications encode them.
///
/// S3 notifications carry keys form-encoded: a space arrives as `+`, and every other reserved or
/// non-ASCII byte as `%XX` over its UTF-8 encoding. So `a+b%2Bc` is the key `a b+c`.
public enum S3KeyDecoding {
    /// Turns a notification key back into the object key.
    /// - Parameter encoded: the key as it appears in `Records[].s3.object.key`.
    /// - Returns: the object key.
    /// - Throws: ``EventError`` when a `%` escape is incomplete or not hexadecimal, or when the
    ///   decoded bytes are not UTF-8.
    public static func decode(_ encoded: String) throws -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.utf8.count)
        var iterator = encoded.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue)
                else {
                    throw EventError(.malformedKey, "object key \(quoted(encoded)) has an incomplete %-escape")
                }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        guard let key = String(validating: bytes, as: UTF8.self) else {
            throw EventError(.malformedKey, "object key \(quoted(encoded)) does not decode to UTF-8")
        }
        return key
    }

    /// Encodes a key the way S3 notifications do (the inverse of ``decode(_:)``).
    public static func encode(_ key: String) -> String {
        var result = ""
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: " "):
                result.append("+")
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "*"), UInt8(ascii: "/"):
                result.append(Character(Unicode.Scalar(byte)))
            default:
                result.append("%")
                result.append(hexDigits[Int(byte >> 4)])
                result.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return result
    }

    private static let hexDigits: [Character] = Array("0123456789ABCDEF")

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Quotes a value for an error message, shortening very long ones.
func quoted(_ value: String, limit: Int = 200) -> String {
    let shown = value.count > limit ? String(value.prefix(limit)) + "…" : value
    return "\"" + shown + "\""
}
