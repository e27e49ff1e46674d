import Foundation

/// Signs requests for one service in one region with one set of credentials.
public struct SigV4Signer: Sendable {
    /// The keys to sign with.
    public var credentials: AWSCredentials
    /// Such as `us-east-1`.
    public var region: String
    /// The signing name: `s3`, `events`, `ssm`, ...
    public var service: String
    private let clock: @Sendable () -> Date

    /// Creates a signer.
    /// - Parameter clock: the time to sign at; fixed in tests.
    public init(
        credentials: AWSCredentials, region: String, service: String, clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.clock = clock
    }

    /// Signs a request: adds `x-amz-date`, `x-amz-security-token` (with a session token) and,
    /// for S3, `x-amz-content-sha256`, then the `Authorization` header over all of them.
    /// - Parameter request: the request; its headers must include `host`.
    /// - Returns: every header to send, the added ones included.
    public func sign(_ request: SigV4Request) -> [(name: String, value: String)] {
        let timestamp = Self.timestamp(clock())
        let added: Set<String> = ["x-amz-date", "x-amz-security-token", "x-amz-content-sha256", "authorization"]
        var headers = request.headers.filter { !added.contains($0.name.lowercased()) }
        headers.append(("x-amz-date", timestamp))
        if let token = credentials.sessionToken { headers.append(("x-amz-security-token", token)) }
        if service == "s3" { headers.append(("x-amz-content-sha256", request.payloadHash)) }
        var signed = request
        signed.headers = headers
        headers.append(("authorization", authorization(signed, timestamp: timestamp)))
        return headers
    }

    /// The `Authorization` header value for a request whose headers already carry `x-amz-date`.
    public func authorization(_ request: SigV4Request, timestamp: String) -> String {
        let date = String(timestamp.prefix(8))
        let scope = SigV4.scope(date: date, region: region, service: service)
        let canonical = SigV4.canonicalRequest(request, service: service)
        let toSign = SigV4.stringToSign(canonicalRequest: canonical, timestamp: timestamp, scope: scope)
        let key = SigV4.signingKey(secret: credentials.secretAccessKey, date: date, region: region, service: service)
        let signedHeaders = SigV4.canonicalHeaders(request.headers).signed
        return "\(SigV4.algorithm) Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), "
            + "Signature=\(SigV4.signature(stringToSign: toSign, key: key))"
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
    public static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }
}
