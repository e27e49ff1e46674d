import PipelineCore

extension StackState {
    /// A signed client for the stack's emulator (which checks no signature).
    static func emulatorClient() -> AWSClient {
        AWSClient(
            credentials: AWSCredentials(
                accessKeyID: LocalStackDefaults.accessKeyID, secretAccessKey: LocalStackDefaults.secretAccessKey),
            timeout: .seconds(30))
    }

    /// The emulator's endpoint.
    public func emulatorEndpoint() throws -> AWSEndpoint {
        try AWSEndpoint(url: endpoint, region: region, variable: "stack.json endpoint")
    }

    /// An SQS client for the stack's queues.
    public func sqs() throws -> SQSClient {
        SQSClient(client: Self.emulatorClient(), endpoint: try emulatorEndpoint())
    }
}
