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
    /// `connect_timeout` (seconds, as in libpq; default 5) bounds opening one connection, and so
    /// how long a query waits for the server before ``Database`` reports it unreachable.
    /// - Throws: ``DatabaseError`` with code `invalidURL`, never echoing the password.
    public static func configuration(from url: String) throws -> PostgresClient.Configuration {
        let parts = try Parts(url)
        var configuration = PostgresClient.Configuration(
            host: parts.host, port: parts.port, username: parts.user, password: parts.password,
            database: parts.database, tls: parts.transport.postgres)
        configuration.options.connectTimeout = parts.connectTimeout
        configuration.options.maximumConnections = 4
        return configuration
    }

    /// The same settings for one connection outside the pool, which ``Database`` opens to find
    /// out why the pool has none.
    /// - Throws: ``DatabaseError`` with code `invalidURL`, or when the TLS settings cannot be loaded.
    public static func connectionConfiguration(from url: String) throws -> PostgresConnection.Configuration {
        let parts = try Parts(url)
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch parts.transport {
            case .disable: tls = .disable
            case .prefer(let configuration): tls = .prefer(try NIOSSLContext(configuration: configuration))
            case .require(let configuration): tls = .require(try NIOSSLContext(configuration: configuration))
            }
        } catch {
            throw DatabaseError(.invalidURL, "database URL's TLS settings cannot be loaded: \(error)")
        }
        var configuration = PostgresConnection.Configuration(
            host: parts.host, port: parts.port, username: parts.user, password: parts.password,
            database: parts.database, tls: tls)
        configuration.options.connectTimeout = .nanoseconds(Int64(parts.connectTimeout.nanoseconds))
        return configuration
    }

    /// The default for `connect_timeout`.
    public static let defaultConnectTimeout: Duration = .seconds(5)

    /// A URL taken apart.
    struct Parts {
        var host: String
        var port: Int
        var user: String
        var password: String?
        var database: String?
        var transport: Transport
        var connectTimeout: Duration

        init(_ url: String) throws {
            guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme)
            else {
                throw DatabaseError(
                    .invalidURL, "database URL must look like postgres://user:password@host:port/database")
            }
            guard let host = components.host, !host.isEmpty else {
                throw DatabaseError(.invalidURL, "database URL has no host")
            }
            guard let user = components.user, !user.isEmpty else {
                throw DatabaseError(.invalidURL, "database URL has no user name")
            }
            let database = String(components.path.drop { $0 == "/" })
            self.host = host
            self.port = components.port ?? 5432
            self.user = user.removingPercentEncoding ?? user
            self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
            self.database = database.isEmpty ? nil : database
            self.transport = try DatabaseURL.transport(
                components, loopback: ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host))
            self.connectTimeout = DatabaseURL.defaultConnectTimeout
            if let text = components.queryItems?.first(where: { $0.name == "connect_timeout" })?.value {
                // libpq: at least 2 s; 0 means wait forever, which a function cannot afford.
                guard let seconds = Int(text), seconds > 0 else {
                    throw DatabaseError(
                        .invalidURL, "database URL's connect_timeout must be a positive number of seconds")
                }
                self.connectTimeout = .seconds(max(2, seconds))
            }
        }
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
