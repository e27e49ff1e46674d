import Foundation
import NIOSSL

/// The certificate authorities that HTTPS and PostgreSQL TLS trust.
///
/// A Lambda archive ships its own bundle and its `bootstrap` names it in `COLLECTIONS_CA_BUNDLE`,
/// so verification doesn't depend on where the host keeps its certificates. Without the variable,
/// the system's bundle is used.
public enum TrustedCertificates {
    /// The environment variable naming a PEM bundle of trusted certificate authorities.
    public static let bundleVariable = "COLLECTIONS_CA_BUNDLE"

    /// The trust roots for `environment`.
    public static func roots(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> NIOSSLTrustRoots
    {
        guard let path = environment[bundleVariable], !path.isEmpty else { return .default }
        return .file(path)
    }

    /// A client TLS configuration that verifies servers against ``roots(environment:)``.
    public static func clientConfiguration(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = roots(environment: environment)
        return configuration
    }
}
