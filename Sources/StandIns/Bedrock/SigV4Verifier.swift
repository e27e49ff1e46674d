import Foundation
import PipelineCore

/// Checks a request's SigV4 signature as an AWS service does, against known credentials, and
/// answers the service's own 403s (the error names AWS's JSON services use: botocore raises
/// them as `ClientError` with these codes).
struct SigV4Verifier: Sendable {
    /// The credentials requests may be signed with.
    let credentials: [AWSCredentials]
    /// The service the signature must be scoped to.
    let service: String

    /// A refusal: HTTP status, `x-amzn-ErrorType` and message.
    struct Refusal: Error {
        let status: Int
        let type: String
        let message: String
    }

    /// Checks the `Authorization` header of a request whose path is as sent (percent-encoded).
    /// - Throws: ``Refusal`` for a missing, malformed, mis-scoped, expired or wrong signature.
    func verify(method: String, path: String, query: String, headers: [String: String], body: Data) throws {
        guard let authorization = headers["authorization"], authorization.hasPrefix(SigV4.algorithm + " ") else {
            throw Refusal(
                status: 403, type: "MissingAuthenticationTokenException", message: "Missing Authentication Token")
        }
        var fields: [String: String] = [:]
        for part in authorization.dropFirst(SigV4.algorithm.count + 1).split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        let scope = (fields["Credential"] ?? "").split(separator: "/").map(String.init)
        guard scope.count == 5, scope[4] == "aws4_request", let signed = fields["SignedHeaders"],
            let signature = fields["Signature"], let timestamp = headers["x-amz-date"]
        else {
            throw Refusal(
                status: 400, type: "IncompleteSignatureException",
                message: "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.")
        }
        guard scope[3] == service else {
            throw Refusal(
                status: 403, type: "InvalidSignatureException",
                message: "Credential should be scoped to correct service: '\(service)'.")
        }
        guard let key = credentials.first(where: { $0.accessKeyID == scope[0] }) else {
            throw Refusal(
                status: 403, type: "UnrecognizedClientException",
                message: "The security token included in the request is invalid.")
        }
        if let token = key.sessionToken, headers["x-amz-security-token"] != token {
            throw Refusal(
                status: 403, type: "UnrecognizedClientException",
                message: "The security token included in the request is invalid.")
        }
        guard let signedAt = Self.date(timestamp) else {
            throw Refusal(
                status: 400, type: "IncompleteSignatureException",
                message:
                    "Date must be in ISO-8601 'basic format'. Got '\(timestamp)'. See http://en.wikipedia.org/wiki/ISO_8601"
            )
        }
        if abs(signedAt.timeIntervalSinceNow) > 15 * 60 {
            throw Refusal(
                status: 403, type: "InvalidSignatureException",
                message: "Signature expired: \(timestamp) is now earlier than the allowed 15 minutes.")
        }
        let names = signed.split(separator: ";").map(String.init)
        let request = SigV4Request(
            method: method, path: path, query: Self.query(query),
            headers: names.map { ($0, headers[$0] ?? "") },
            payloadHash: headers["x-amz-content-sha256"] ?? SigV4.sha256Hex(body))
        let stringToSign = SigV4.stringToSign(
            canonicalRequest: SigV4.canonicalRequest(request, service: service), timestamp: timestamp,
            scope: scope[1...].joined(separator: "/"))
        let expected = SigV4.signature(
            stringToSign: stringToSign,
            key: SigV4.signingKey(secret: key.secretAccessKey, date: scope[1], region: scope[2], service: service))
        guard expected == signature else {
            throw Refusal(
                status: 403, type: "InvalidSignatureException",
                message: "The request signature we calculated does not match the signature you provided. Check "
                    + "your AWS Secret Access Key and signing method. Consult the service documentation for details.")
        }
    }

    private static func date(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.date(from: text)
    }

    private static func query(_ text: String) -> [(name: String, value: String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).removingPercentEncoding ?? String($0)
            }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    }
}
