/// An access key, its secret and an optional session token. Never printed: its description hides them.
public struct AWSCredentials: Sendable, CustomStringConvertible {
    /// `AWS_ACCESS_KEY_ID`.
    public var accessKeyID: String
    /// `AWS_SECRET_ACCESS_KEY`.
    public var secretAccessKey: String
    /// `AWS_SESSION_TOKEN`, as Lambda and assumed roles provide.
    public var sessionToken: String?

    /// Creates credentials.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// Reads the standard variables.
    /// - Throws: ``ConfigurationError`` naming the variable that is missing.
    public init(environment: [String: String]) throws {
        let reader = EnvironmentReader(environment: environment)
        guard let id = reader.string("AWS_ACCESS_KEY_ID") else {
            throw ConfigurationError(variable: "AWS_ACCESS_KEY_ID", problem: "is not set")
        }
        guard let secret = reader.string("AWS_SECRET_ACCESS_KEY") else {
            throw ConfigurationError(variable: "AWS_SECRET_ACCESS_KEY", problem: "is not set")
        }
        self.init(accessKeyID: id, secretAccessKey: secret, sessionToken: reader.string("AWS_SESSION_TOKEN"))
    }

    public var description: String {
        "AWSCredentials(\(accessKeyID.prefix(4))…, secret hidden\(sessionToken == nil ? "" : ", session token hidden"))"
    }
}
