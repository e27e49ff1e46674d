import Foundation

/// An error answer in the shape each API uses.
public struct APIErrorResponse: Error, Sendable {
    /// The HTTP status.
    public var status: Int
    /// The Messages API's `error.type`, such as `invalid_request_error`.
    public var type: String
    /// What is wrong.
    public var message: String

    /// Creates one.
    public init(status: Int, type: String, message: String) {
        self.status = status
        self.type = type
        self.message = message
    }

    /// 400 `invalid_request_error`.
    public static func invalid(_ message: String) -> APIErrorResponse {
        APIErrorResponse(status: 400, type: "invalid_request_error", message: message)
    }

    /// The Messages API body: `{"type":"error","error":{"type","message"},"request_id"}`.
    public func anthropicBody(requestID: String) -> Data {
        let body: [String: Any] = [
            "type": "error", "error": ["type": type, "message": message], "request_id": requestID,
        ]
        return (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
    }

    /// The Voyage body: `{"detail": message}`.
    public var voyageBody: Data {
        (try? JSONSerialization.data(withJSONObject: ["detail": message])) ?? Data()
    }
}

/// Random ids in the providers' styles.
enum StandInIDs {
    static func make(_ prefix: String, length: Int = 24) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return prefix + String((0..<length).map { _ in alphabet.randomElement()! })
    }
}
