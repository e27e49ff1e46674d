import Foundation

/// An AWS service we call: its signing name, the suffix of its endpoint variable, its protocol.
public struct AWSService: Sendable, Hashable, CustomStringConvertible {
    /// The SigV4 signing name and the endpoint's first label: `s3`, `events`, `ssm`.
    public let signingName: String
    /// The service id as the endpoint variables spell it: `AWS_ENDPOINT_URL_<ID>`.
    public let environmentID: String
    /// The name used in error messages.
    public let displayName: String
    /// The first label of AWS's endpoint host, when it is not the signing name (`bedrock-runtime`).
    public let endpointPrefix: String

    /// Creates a service description.
    public init(signingName: String, environmentID: String, displayName: String, endpointPrefix: String? = nil) {
        self.signingName = signingName
        self.environmentID = environmentID
        self.displayName = displayName
        self.endpointPrefix = endpointPrefix ?? signingName
    }

    public var description: String { displayName }

    /// Amazon S3 (REST-XML).
    public static let s3 = AWSService(signingName: "s3", environmentID: "S3", displayName: "S3")
    /// Amazon EventBridge (JSON 1.1, target prefix `AWSEvents`).
    public static let eventBridge = AWSService(
        signingName: "events", environmentID: "EVENTBRIDGE", displayName: "EventBridge")
    /// AWS Systems Manager (JSON 1.1, target prefix `AmazonSSM`).
    public static let ssm = AWSService(signingName: "ssm", environmentID: "SSM", displayName: "SSM")
    /// Amazon SQS (JSON 1.0, target prefix `AmazonSQS`); the pipeline itself never calls it, the
    /// local stack and the tests do.
    public static let sqs = AWSService(signingName: "sqs", environmentID: "SQS", displayName: "SQS")
    /// AWS CloudFormation (query protocol, XML answers); only the command-line tool calls it, to
    /// find a deployed stack's queues (`AWS_ENDPOINT_URL_CLOUDFORMATION`).
    public static let cloudFormation = AWSService(
        signingName: "cloudformation", environmentID: "CLOUDFORMATION", displayName: "CloudFormation")
    /// Amazon Bedrock Runtime (REST-JSON): signed as `bedrock`, served from
    /// `bedrock-runtime.<region>.amazonaws.com`, configured by `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`
    /// (docs.aws.amazon.com/general/latest/gr/bedrock.html and the SDKs' service ids, read 2026-12-04).
    public static let bedrockRuntime = AWSService(
        signingName: "bedrock", environmentID: "BEDROCK_RUNTIME", displayName: "Bedrock",
        endpointPrefix: "bedrock-runtime")
}
