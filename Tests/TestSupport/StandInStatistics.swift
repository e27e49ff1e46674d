import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `GET /stand-ins/stats`: requests per route and faults injected.
public enum StandInStatistics {
    /// The whole answer.
    public static func fetch(_ url: String) async throws -> [String: Any] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: url + "/stand-ins/stats")!)
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// Requests per route.
    public static func requests(_ url: String) async throws -> [String: Int] {
        try await fetch(url)["requests"] as? [String: Int] ?? [:]
    }
}
