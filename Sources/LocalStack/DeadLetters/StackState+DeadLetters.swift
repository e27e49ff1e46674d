import PipelineCore

extension StackState {
    /// The local stack's functions with their queues, as ``DeadLetters`` takes them.
    public var deadLetterFunctions: [DeadLetters.Function] {
        functions.map {
            DeadLetters.Function(
                name: $0.name, executable: $0.executable, queueURL: $0.queueURL, deadLetterURL: $0.deadLetterURL)
        }
    }
}

extension DeadLetters {
    /// The view of the local stack's dead-letter queues.
    public init(sqs: SQSClient, state: StackState) {
        self.init(sqs: sqs, functions: state.deadLetterFunctions)
    }
}
