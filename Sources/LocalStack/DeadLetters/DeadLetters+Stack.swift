import PipelineCore

extension DeadLetters {
    /// The executables a deployed pipeline stack has, each with three outputs.
    public static let deployedExecutables = ["ImageProcessor", "Analyzer", "Embedder"]

    /// The outputs ``functions(of:region:)`` reads for one executable: its function's name, the
    /// queue its event source mapping feeds it from, and its dead-letter queue.
    public static func outputKeys(_ executable: String) -> (name: String, queue: String, deadLetters: String) {
        ("\(executable)FunctionName", "\(executable)QueueUrl", "\(executable)DeadLetterQueueUrl")
    }

    /// A deployed stack's functions and queues, from its outputs `<F>FunctionName`, `<F>QueueUrl`
    /// and `<F>DeadLetterQueueUrl` for each of ``deployedExecutables``.
    /// - Throws: ``LocalStackError`` naming every output the stack lacks.
    public static func functions(of stack: StackDescription, region: String) throws -> [Function] {
        var functions: [Function] = []
        var missing: [String] = []
        for executable in deployedExecutables {
            let keys = outputKeys(executable)
            let values = [keys.name, keys.queue, keys.deadLetters].map { key in
                let value = stack.outputs[key] ?? ""
                if value.isEmpty { missing.append(key) }
                return value
            }
            functions.append(
                Function(name: values[0], executable: executable, queueURL: values[1], deadLetterURL: values[2]))
        }
        guard missing.isEmpty else {
            let status = stack.status.isEmpty ? "" : ", \(stack.status)"
            throw LocalStackError(
                "stack \(stack.name) (\(region)\(status)) has no output \(missing.joined(separator: ", ")): "
                    + "each function needs <F>FunctionName, <F>QueueUrl and <F>DeadLetterQueueUrl; deploy "
                    + "infrastructure/template.yaml from a checkout that has them")
        }
        return functions
    }
}
