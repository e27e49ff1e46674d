import Foundation
import NIOSSL
import Testing

@testable import PipelineCore

/// `sslmode` and `sslrootcert` mean what they mean to libpq.
@Suite struct DatabaseURLTests {
    private func transport(_ url: String) throws -> DatabaseURL.Transport {
        let components = try #require(URLComponents(string: url))
        let host = components.host ?? ""
        return try DatabaseURL.transport(components, loopback: ["127.0.0.1", "localhost"].contains(host))
    }

    private func verification(_ url: String) throws -> CertificateVerification? {
        switch try transport(url) {
        case .disable: nil
        case .prefer(let configuration), .require(let configuration): configuration.certificateVerification
        }
    }

    @Test func loopbackIsPlainAndOtherHostsRequireTLSByDefault() throws {
        guard case .disable = try transport("postgres://u:p@127.0.0.1:5432/d") else {
            Issue.record("loopback should default to plain text")
            return
        }
        guard case .require(let configuration) = try transport("postgres://u:p@db.example.com/d") else {
            Issue.record("a remote host should default to require")
            return
        }
        // libpq's require encrypts without verifying: RDS's certificates are signed by Amazon's
        // own certificate authorities, which no system bundle carries.
        #expect(configuration.certificateVerification == .none)
    }

    @Test func verifyModesVerifyAsLibpqDoes() throws {
        #expect(try verification("postgres://u@h/d?sslmode=require") == CertificateVerification.none)
        #expect(try verification("postgres://u@h/d?sslmode=prefer") == CertificateVerification.none)
        #expect(try verification("postgres://u@h/d?sslmode=verify-ca") == .noHostnameVerification)
        #expect(try verification("postgres://u@h/d?sslmode=verify-full") == .fullVerification)
        guard case .disable = try transport("postgres://u@h/d?sslmode=disable") else {
            Issue.record("disable should not use TLS")
            return
        }
    }

    @Test func sslrootcertNamesTheTrustedAuthorities() throws {
        guard
            case .require(let file) = try transport(
                "postgres://u@h/d?sslmode=verify-full&sslrootcert=/var/task/rds.pem")
        else {
            Issue.record("verify-full should require TLS")
            return
        }
        #expect(file.trustRoots == .file("/var/task/rds.pem"))
        guard case .require(let system) = try transport("postgres://u@h/d?sslmode=verify-full&sslrootcert=system")
        else {
            Issue.record("verify-full should require TLS")
            return
        }
        #expect(system.trustRoots == .default)
    }

    @Test func anUnknownModeIsRefusedByName() throws {
        let error = #expect(throws: DatabaseError.self) { try transport("postgres://u@h/d?sslmode=strict") }
        #expect(error?.description.contains("\"strict\"") == true)
        #expect(error?.description.contains("verify-full") == true)
    }

    @Test func theBundledCertificateAuthoritiesComeFromTheEnvironment() {
        let bundle = "/var/task/certs/ca-certificates.crt"
        #expect(TrustedCertificates.roots(environment: [TrustedCertificates.bundleVariable: bundle]) == .file(bundle))
        #expect(TrustedCertificates.roots(environment: [:]) == .default)
        #expect(TrustedCertificates.clientConfiguration(environment: [:]).certificateVerification == .fullVerification)
    }
}
