import AsyncHTTPClient

/// The process's one HTTP client: connections are pooled across invocations and it is never
/// shut down (a Lambda process ends by being frozen or killed). Redirects are not followed: a
/// signed request cannot be, and none of the APIs we call redirects. There is no read timeout
/// here; each call sets its own deadline, and the Runtime API's long poll sets none. Servers are
/// verified against ``TrustedCertificates``.
enum SharedHTTPClient {
    static let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)

    /// Up to 32 connections per host (the default is 8): the local stack's runner holds a long
    /// poll per function while it deletes the messages of many finished batches at once.
    private static var configuration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: TrustedCertificates.clientConfiguration(),
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10)),
            decompression: .disabled)
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 32)
        return configuration
    }
}
