import Foundation

/// Reads the error a service sent: S3's XML `<Error>`, the query protocol's
/// `<ErrorResponse><Error>` (CloudFormation), or the JSON protocols' `__type`.
enum AWSErrorParser {
    /// Builds the typed error for a failed response.
    static func error(
        service: AWSService, operation: String, status: Int, headers: [(String, String)], body: Data
    ) -> AWSError {
        let requestID = header("x-amz-request-id", in: headers) ?? header("x-amzn-requestid", in: headers)
        var code: String?
        var message: String?
        var bodyRequestID: String?
        if let fields = xmlErrorFields(body) {
            code = fields["Code"]
            message = fields["Message"]
            bodyRequestID = fields["RequestId"]
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

    /// The text of each child of the first `<Error>` element, wherever it sits: the root (S3),
    /// under `<ErrorResponse>` (the query protocol: CloudFormation, and moto as
    /// `<ErrorResponse><Errors><Error>`); plus a `RequestId` beside it. Nil when the body is not
    /// XML or holds no such element.
    static func xmlErrorFields(_ body: Data) -> [String: String]? {
        guard let document = XMLElements(body) else { return nil }
        var fields: [String: String] = [:]
        var errorDepth: Int?
        for element in document.elements where element.parent == "Error" {
            // Only the first <Error>'s children (the first to end is the first in the document).
            if errorDepth == nil { errorDepth = element.path.count }
            if element.path.count == errorDepth, fields[element.name] == nil { fields[element.name] = element.text }
        }
        if fields["RequestId"] == nil,
            let requestID = document.elements.first(where: { $0.name == "RequestId" && $0.path.count == 2 })
        {
            fields["RequestId"] = requestID.text
        }
        return fields.isEmpty ? nil : fields
    }
}
