import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

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
            requestID: requestID ?? bodyRequestID)
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

/// The text of each child element of a top-level `<Error>` element.
private final class XMLErrorFields: NSObject, XMLParserDelegate {
    private(set) var fields: [String: String] = [:]
    private var path: [String] = []
    private var text = ""

    init?(_ data: Data) {
        super.init()
        guard data.first(where: { !$0.isASCIIWhitespace }) == UInt8(ascii: "<") else { return nil }
        let parser = XMLParser(data: data)
        parser.delegate = self
        guard parser.parse(), !fields.isEmpty else { return nil }
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        path.append(elementName)
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if path.count == 2, path[0] == "Error" { fields[elementName] = text }
        path.removeLast()
        text = ""
    }
}

extension UInt8 {
    fileprivate var isASCIIWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}
