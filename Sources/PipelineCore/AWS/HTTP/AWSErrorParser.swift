import CExpat
import Foundation

/// Reads the error a service sent: S3's XML `<Error>` or the JSON protocols' `__type`.
enum AWSErrorParser {
    /// Builds the typed error for a failed response.
    static func error(
        service: AWSService, operation: String, status: Int, headers: [(String, String)], body: Data
    ) -> AWSError {
        let requestID = header("x-amz-request-id", in: headers) ?? header("x-amzn-requestid", in: headers)
        var code: String?
        var message: String?
        var bodyRequestID: String?
        if let xml = XMLErrorFields(body) {
            code = xml.fields["Code"]
            message = xml.fields["Message"]
            bodyRequestID = xml.fields["RequestId"]
        } else if let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
            code = (json["__type"] as? String ?? json["code"] as? String).map(shortCode)
            message = json["message"] as? String ?? json["Message"] as? String
        }
        if code == nil, let type = header("x-amzn-errortype", in: headers) {
            code = shortCode(String(type.split(separator: ":").first ?? ""))
        }
        return AWSError(
            service: service.displayName, operation: operation, status: status,
            code: code ?? defaultCode(status), message: message ?? "",
            requestID: requestID ?? bodyRequestID, retryAfter: RetryAfter.parse { header($0, in: headers) })
    }

    /// `com.amazonaws.ssm#ParameterNotFound` → `ParameterNotFound`.
    static func shortCode(_ type: String) -> String {
        String(type.split(separator: "#").last ?? Substring(type))
    }

    /// A code for bodiless answers (HEAD): what the SDKs report.
    static func defaultCode(_ status: Int) -> String {
        switch status {
        case 301, 307: "PermanentRedirect"
        case 400: "BadRequest"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 412: "PreconditionFailed"
        case 429: "TooManyRequests"
        case 503: "ServiceUnavailable"
        default: "HTTP\(status)"
        }
    }

    static func header(_ name: String, in headers: [(String, String)]) -> String? {
        headers.first { $0.0.lowercased() == name }?.1
    }
}

/// The text of each child element of a top-level `<Error>` element, read with libexpat (not
/// Foundation's XMLParser, which would bring libxml2 and ICU into every function's archive).
/// expat reads no external entities and bounds entity expansion.
private final class XMLErrorFields {
    private(set) var fields: [String: String] = [:]
    private var path: [String] = []
    private var text: [UInt8] = []

    init?(_ data: Data) {
        guard data.first(where: { !$0.isASCIIWhitespace }) == UInt8(ascii: "<"), data.count < Int32.max,
            let parser = XML_ParserCreate(nil)
        else { return nil }
        defer { XML_ParserFree(parser) }
        XML_SetUserData(parser, Unmanaged.passUnretained(self).toOpaque())
        XML_SetElementHandler(parser, startElement, endElement)
        XML_SetCharacterDataHandler(parser, characters)
        let status = data.withUnsafeBytes { raw in
            XML_Parse(parser, raw.baseAddress?.assumingMemoryBound(to: XML_Char.self), Int32(raw.count), 1)
        }
        guard status == XML_STATUS_OK, !fields.isEmpty else { return nil }
    }

    fileprivate func start(_ name: String) {
        path.append(name)
        text = []
    }

    fileprivate func append(_ characters: UnsafeBufferPointer<UInt8>) {
        text.append(contentsOf: characters)
    }

    fileprivate func end(_ name: String) {
        if path.count == 2, path[0] == "Error" { fields[name] = String(decoding: text, as: UTF8.self) }
        path.removeLast()
        text = []
    }

    fileprivate static func from(_ userData: UnsafeMutableRawPointer?) -> XMLErrorFields {
        Unmanaged<XMLErrorFields>.fromOpaque(userData!).takeUnretainedValue()
    }
}

private let startElement: XML_StartElementHandler = { userData, name, _ in
    XMLErrorFields.from(userData).start(name.map { String(cString: $0) } ?? "")
}

private let endElement: XML_EndElementHandler = { userData, name in
    XMLErrorFields.from(userData).end(name.map { String(cString: $0) } ?? "")
}

private let characters: XML_CharacterDataHandler = { userData, characters, length in
    guard let characters, length > 0 else { return }
    characters.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
        XMLErrorFields.from(userData).append(UnsafeBufferPointer(start: $0, count: Int(length)))
    }
}

extension UInt8 {
    fileprivate var isASCIIWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}
