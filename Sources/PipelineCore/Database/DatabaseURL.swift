import Foundation
import NIOSSL
import PostgresNIO

/// Parses `postgres://user:password@host:port/database?sslmode=...` into a client configuration.
public enum DatabaseURL {
    /// Builds a configuration from a URL.
    ///
    /// `sslmode` may be `disable`, `prefer` or `require`; without it, loopback hosts connect in
    /// plain text and every other host requires TLS.
    /// - Throws: ``DatabaseError`` with code `invalidURL`, never echoing the password.
    public static func configuration(from url: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme)
        else {
            throw DatabaseError(.invalidURL, "database URL must look like postgres://user:password@host:port/database")
        }
        guard let host = components.host, !host.isEmpty else {
            throw DatabaseError(.invalidURL, "database URL has no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw DatabaseError(.invalidURL, "database URL has no user name")
        }
        let database = String(components.path.drop { $0 == "/" })
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value
        let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host)
        let tls: PostgresClient.Configuration.TLS
        switch mode ?? (loopback ? "disable" : "require") {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        case let other:
            throw DatabaseError(.invalidURL, "database URL has unknown sslmode \(quoted(other))")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user.removingPercentEncoding ?? user,
            password: components.password.map { $0.removingPercentEncoding ?? $0 },
            database: database.isEmpty ? nil : database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.maximumConnections = 4
        return configuration
    }

    /// The URL with its password replaced by `***`, safe to log.
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(unparseable database URL)" }
        if components.password != nil { components.password = "***" }
        return components.string ?? "(unparseable database URL)"
    }
}
