import Crypto
import Foundation

/// The steps of AWS Signature Version 4, each a pure function so that tests can check them one by
/// one against AWS's published test suite.
public enum SigV4 {
    /// The algorithm name in the string to sign and the `Authorization` header.
    public static let algorithm = "AWS4-HMAC-SHA256"
    /// The payload hash S3 accepts for a body that is not hashed.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// The canonical request: method, URI, query, headers, signed header names and payload hash.
    /// - Parameters:
    ///   - request: what is being sent.
    ///   - service: the signing name; `s3` keeps the path as sent, others normalise and encode it again.
    public static func canonicalRequest(_ request: SigV4Request, service: String) -> String {
        let headers = canonicalHeaders(request.headers)
        return [
            request.method.uppercased(), canonicalURI(request.path, service: service),
            canonicalQuery(request.query), headers.canonical, headers.signed, request.payloadHash,
        ].joined(separator: "\n")
    }

    /// The URI as signed. S3 signs the path exactly as sent (encoded once); every other service
    /// removes `.` and `..` segments and repeated slashes, then encodes the sent path again.
    public static func canonicalURI(_ path: String, service: String) -> String {
        let path = path.isEmpty ? "/" : path
        if service == "s3" { return path }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        let trailing = path.hasSuffix("/") && !segments.isEmpty ? "/" : ""
        return "/" + segments.map { uriEncode(String($0)) }.joined(separator: "/") + trailing
    }

    /// The query as signed: each name and value URI-encoded, sorted by name and then value.
    public static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        let encoded: [(name: String, value: String)] = query.map { (uriEncode($0.name), uriEncode($0.value)) }
        let sorted = encoded.sorted { $0.name == $1.name ? $0.value < $1.value : $0.name < $1.name }
        return sorted.map { $0.name + "=" + $0.value }.joined(separator: "&")
    }

    /// The header block and the `SignedHeaders` list: names lowercased and sorted, values trimmed
    /// with inner runs of whitespace made one space, repeated names joined with commas in order.
    public static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (
        canonical: String, signed: String
    ) {
        var values: [String: [String]] = [:]
        for (name, value) in headers {
            let folded = value.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            values[name.lowercased(), default: []].append(folded)
        }
        let names = values.keys.sorted()
        let canonical = names.map { "\($0):\(values[$0]!.joined(separator: ","))\n" }.joined()
        return (canonical, names.joined(separator: ";"))
    }

    /// The credential scope: `date/region/service/aws4_request`.
    public static func scope(date: String, region: String, service: String) -> String {
        "\(date)/\(region)/\(service)/aws4_request"
    }

    /// The string to sign: algorithm, timestamp, scope and the canonical request's SHA-256.
    public static func stringToSign(canonicalRequest: String, timestamp: String, scope: String) -> String {
        [algorithm, timestamp, scope, sha256Hex(Data(canonicalRequest.utf8))].joined(separator: "\n")
    }

    /// The signing key: HMAC chain of `AWS4` + secret over date, region, service and `aws4_request`.
    public static func signingKey(secret: String, date: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(secret)".utf8))
        for part in [date, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    /// The hex HMAC-SHA256 of the string to sign.
    public static func signature(stringToSign: String, key: SymmetricKey) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key).hexString
    }

    /// Lowercase hex SHA-256.
    public static func sha256Hex(_ data: Data) -> String {
        SHA256.hash(data: data).hexString
    }

    /// Percent-encodes every byte except the unreserved `A-Z a-z 0-9 - . _ ~` (and `/` when asked).
    public static func uriEncode(_ text: String, keepSlash: Bool = false) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                result.append(Character(Unicode.Scalar(byte)))
            case UInt8(ascii: "/") where keepSlash:
                result.append("/")
            default:
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }
}
