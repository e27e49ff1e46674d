import Foundation
import NIOSSL
import PostgresNIO

/// Parses `postgres://user:password@host:port/database?sslmode=...` into a client configuration.
public enum DatabaseURL {
    /// Builds a configuration from a URL.
    ///
    /// `sslmode` means what it means to libpq: `disable`; `allow` or `prefer` (TLS if the
    /// server offers it); `require` (TLS, server not verified); `verify-ca` (certificate chain
    /// verified); `verify-full` (chain and host name verified). Without it, loopback hosts
    /// connect in plain text and every other host gets `require`. Verification trusts
    /// ``TrustedCertificates``, or the PEM file named by `sslrootcert` (`system`: the system's).
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
        let tls = try transport(components, loopback: ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host))
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user.removingPercentEncoding ?? user,
            password: components.password.map { $0.removingPercentEncoding ?? $0 },
            database: database.isEmpty ? nil : database, tls: tls.postgres)
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.maximumConnections = 4
        return configuration
    }

    /// Whether and how a connection uses TLS.
    enum Transport {
        case disable
        case prefer(TLSConfiguration)
        case require(TLSConfiguration)

        var postgres: PostgresClient.Configuration.TLS {
            switch self {
            case .disable: .disable
            case .prefer(let configuration): .prefer(configuration)
            case .require(let configuration): .require(configuration)
            }
        }
    }

    /// The transport the URL's `sslmode` and `sslrootcert` ask for.
    static func transport(_ components: URLComponents, loopback: Bool) throws -> Transport {
        let query = components.queryItems ?? []
        let mode = query.first { $0.name == "sslmode" }?.value ?? (loopback ? "disable" : "require")
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch query.first(where: { $0.name == "sslrootcert" })?.value {
        case nil: configuration.trustRoots = TrustedCertificates.roots()
        case "system": configuration.trustRoots = .default
        case let path?: configuration.trustRoots = .file(path)
        }
        switch mode {
        case "disable": return .disable
        case "allow", "prefer":
            configuration.certificateVerification = .none
            return .prefer(configuration)
        case "require":
            configuration.certificateVerification = .none
            return .require(configuration)
        case "verify-ca":
            configuration.certificateVerification = .noHostnameVerification
            return .require(configuration)
        case "verify-full":
            configuration.certificateVerification = .fullVerification
            return .require(configuration)
        default:
            throw DatabaseError(
                .invalidURL,
                "database URL has unknown sslmode \(quoted(mode)) (use disable, allow, prefer, require, verify-ca or verify-full)"
            )
        }
    }

    /// The URL with its password replaced by `***`, safe to log.
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(unparseable database URL)" }
        if components.password != nil { components.password = "***" }
        return components.string ?? "(unparseable database URL)"
    }
}
