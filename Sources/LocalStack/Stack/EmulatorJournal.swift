import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Rebuilds a restarted moto's state from the journal its recorder wrote (one JSON object per
/// request: method, URL, headers, body). Only requests that build state are sent again, in
/// their order: S3 bucket and object writes and deletes, the bus, rules and targets, queues and
/// their attributes, SSM parameters. Message traffic (PutEvents, SendMessage, ReceiveMessage,
/// DeleteMessage) is not: an object written again announces itself to EventBridge as the upload
/// did, so every upload runs through the pipeline again, and the stages' idempotence leaves the
/// rows as they were. Multipart uploads (their parts name an upload id the new server never
/// issued) are not replayed.
enum EmulatorJournal {
    /// One recorded request.
    struct Entry: Decodable {
        var method: String
        var url: String
        var headers: [String: String]
        var body: String?
        var bodyEncoded: Bool?

        enum CodingKeys: String, CodingKey {
            case method, url, headers, body
            case bodyEncoded = "body_encoded"
        }

        func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }

        var bodyData: Data {
            guard let body else { return Data() }
            return bodyEncoded == true ? Data(base64Encoded: body) ?? Data() : Data(body.utf8)
        }

        /// The service in the signature's credential scope (`.../us-east-1/s3/aws4_request`).
        var service: String? {
            guard let authorization = header("Authorization"),
                let range = authorization.range(of: "Credential=")
            else { return nil }
            let scope = authorization[range.upperBound...].prefix { $0 != "," }.split(separator: "/")
            return scope.count >= 5 ? String(scope[3]) : nil
        }

        /// The JSON target's operation (`AWSEvents.PutRule` → `PutRule`) or the query protocol's `Action`.
        var operation: String? {
            if let target = header("X-Amz-Target") { return target.split(separator: ".").last.map(String.init) }
            let form = String(decoding: bodyData.prefix(2048), as: UTF8.self)
            return URLComponents(string: "?" + form)?.queryItems?.first { $0.name == "Action" }?.value
        }
    }

    static let replayedOperations: [String: Set<String>] = [
        "events": ["CreateEventBus", "DeleteEventBus", "PutRule", "DeleteRule", "PutTargets", "RemoveTargets"],
        "sqs": ["CreateQueue", "SetQueueAttributes", "DeleteQueue", "TagQueue", "UntagQueue"],
        "ssm": ["PutParameter", "DeleteParameter", "DeleteParameters"],
    ]

    /// Whether `entry` built state that a restarted server needs.
    static func isReplayed(_ entry: Entry) -> Bool {
        guard let service = entry.service else { return false }
        if service == "s3" {
            let query = URLComponents(string: entry.url)?.queryItems?.map(\.name) ?? []
            if query.contains("uploadId") || query.contains("uploads") { return false }
            switch entry.method {
            case "PUT", "DELETE": return true
            case "POST": return query.contains("delete")
            default: return false
            }
        }
        guard let operation = entry.operation else { return false }
        return replayedOperations[service]?.contains(operation) ?? false
    }

    /// Sends the journal's state-building requests in `file` to the server at `endpoint`.
    /// - Returns: how many were sent and how many of them the server refused (4xx or 5xx).
    static func replay(_ file: URL, to endpoint: URL) async throws -> (sent: Int, refused: Int) {
        let data = try Data(contentsOf: file)
        var sent = 0
        var refused = 0
        let decoder = JSONDecoder()
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            // A line cut short by a crash while writing it is skipped.
            guard let entry = try? decoder.decode(Entry.self, from: line), isReplayed(entry),
                var components = URLComponents(string: entry.url)
            else { continue }
            components.scheme = endpoint.scheme
            components.host = endpoint.host
            components.port = endpoint.port
            guard let url = components.url else { continue }
            var request = URLRequest(url: url)
            request.httpMethod = entry.method
            for (name, value) in entry.headers
            where !["host", "content-length", "transfer-encoding", "connection"].contains(name.lowercased()) {
                request.setValue(value, forHTTPHeaderField: name)
            }
            request.httpBody = entry.bodyData
            let (_, response) = try await URLSession.shared.data(for: request)
            sent += 1
            if let status = (response as? HTTPURLResponse)?.statusCode, status >= 400 { refused += 1 }
        }
        return (sent, refused)
    }
}
