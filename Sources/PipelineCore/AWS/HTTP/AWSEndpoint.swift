import Foundation

/// Where requests for one service go, and the region they are signed for.
public struct AWSEndpoint: Sendable, Equatable {
    /// `http` or `https`.
    public var scheme: String
    /// The host name or address.
    public var host: String
    /// The port, when not the scheme's default.
    public var port: Int?
    /// A path every request starts with (empty, or such as `/aws`), without a trailing slash.
    public var basePath: String
    /// The region requests are signed for.
    public var region: String
    /// True when the endpoint was configured (an emulator or a proxy), false for AWS's own.
    public var isCustom: Bool

    /// The `Host` header value: the host, and the port when it is not the scheme's default.
    public var hostHeader: String {
        guard let port, port != (scheme == "https" ? 443 : 80) else { return host }
        return "\(host):\(port)"
    }

    /// The endpoint as a URL string without a trailing slash.
    public var url: String { "\(scheme)://\(hostHeader)\(basePath)" }

    /// Parses a configured endpoint such as `http://127.0.0.1:5000`.
    /// - Throws: ``ConfigurationError`` naming `variable` when it is not an http(s) URL with a host.
    public init(url text: String, region: String, variable: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty,
            components.query == nil, components.fragment == nil
        else {
            throw ConfigurationError(
                variable: variable, problem: "must be an http(s) URL such as http://127.0.0.1:5000, not \(quoted(text))"
            )
        }
        self.scheme = scheme
        self.host = host
        self.port = components.port
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        self.basePath = path
        self.region = region
        self.isCustom = true
    }

    /// AWS's regional endpoint for a service: `https://<name>.<region>.amazonaws.com`
    /// (`amazonaws.com.cn` in the China regions).
    public init(awsRegional service: AWSService, region: String) {
        scheme = "https"
        host = "\(service.endpointPrefix).\(region).amazonaws.com\(region.hasPrefix("cn-") ? ".cn" : "")"
        port = nil
        basePath = ""
        self.region = region
        isCustom = false
    }

    /// Resolves a service's endpoint as the AWS SDKs do: `AWS_ENDPOINT_URL_<SERVICE>`, then
    /// `AWS_ENDPOINT_URL`, then the regional AWS endpoint; `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`
    /// skips the variables. The region is `AWS_REGION`, then `AWS_DEFAULT_REGION`.
    /// - Throws: ``ConfigurationError`` when no region is set or an endpoint is malformed.
    public static func resolve(_ service: AWSService, environment: [String: String]) throws -> AWSEndpoint {
        let reader = EnvironmentReader(environment: environment)
        guard let region = reader.string("AWS_REGION") ?? reader.string("AWS_DEFAULT_REGION") else {
            throw ConfigurationError(variable: "AWS_REGION", problem: "is not set (nor AWS_DEFAULT_REGION)")
        }
        if reader.string("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")?.lowercased() != "true" {
            for variable in ["AWS_ENDPOINT_URL_\(service.environmentID)", "AWS_ENDPOINT_URL"] {
                if let url = reader.string(variable) {
                    return try AWSEndpoint(url: url, region: region, variable: variable)
                }
            }
        }
        return AWSEndpoint(awsRegional: service, region: region)
    }
}
