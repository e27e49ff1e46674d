import Foundation

/// What the local stack takes from `infrastructure/template.yaml`: the upload bucket, the bus,
/// each function (its binary, timeout, environment and retry policy) and each rule (its bus,
/// event pattern and target function).
public struct PipelineTopology: Sendable {
    /// One `AWS::Lambda::Function`.
    public struct Function: Sendable, Equatable {
        /// The logical id, such as `AnalyzerFunction`.
        public var logicalID: String
        /// The function name.
        public var name: String
        /// The executable product (`Metadata.collections.executable`).
        public var executable: String
        /// `Timeout`, seconds (Lambda's default 3 when absent).
        public var timeoutSeconds: Int
        /// `MemorySize`, MB (not enforced locally).
        public var memoryMB: Int
        /// `Environment.Variables`, resolved.
        public var environment: [String: String]
        /// Retries after a failed invocation (`AWS::Lambda::EventInvokeConfig`; Lambda's default 2).
        public var maximumRetryAttempts: Int
        /// The dead-letter queue's name (the invoke config's on-failure destination).
        public var deadLetterQueue: String?
    }

    /// One `AWS::Events::Rule` that targets a function.
    public struct Rule: Sendable, Equatable {
        /// The logical id.
        public var logicalID: String
        /// The bus; nil for the default bus.
        public var busName: String?
        /// The event pattern as JSON.
        public var pattern: String
        /// The target function's logical id.
        public var function: String
    }

    /// The upload bucket.
    public var bucketName: String
    /// The custom bus.
    public var busName: String
    /// The functions, in template order of their logical ids.
    public var functions: [Function]
    /// The rules.
    public var rules: [Rule]

    /// Reads the topology through a resolver.
    /// - Throws: ``TemplateError`` when the template lacks what the local stack needs.
    public init(resolver: TemplateResolver) throws {
        guard let bucket = resolver.resources(ofType: "AWS::S3::Bucket").first else {
            throw TemplateError("the template has no AWS::S3::Bucket")
        }
        bucketName = try resolver.physicalName(bucket)
        guard let bus = resolver.resources(ofType: "AWS::Events::EventBus").first else {
            throw TemplateError("the template has no AWS::Events::EventBus")
        }
        busName = try resolver.physicalName(bus)
        functions = try resolver.resources(ofType: "AWS::Lambda::Function").map { try Self.function($0, resolver) }
        let functionsByARN = Dictionary(
            uniqueKeysWithValues: try functions.map { (try resolver.attribute($0.logicalID, "Arn"), $0.logicalID) })
        rules = []
        for logicalID in resolver.resources(ofType: "AWS::Events::Rule") {
            guard let pattern = try resolver.property(logicalID, "EventPattern") else {
                throw TemplateError("rule \(logicalID) has no EventPattern")
            }
            for target in try resolver.property(logicalID, "Targets")?.list ?? [] {
                guard let arn = target["Arn"]?.text, let function = functionsByARN[arn] else { continue }
                rules.append(
                    Rule(
                        logicalID: logicalID, busName: try resolver.property(logicalID, "EventBusName")?.text,
                        pattern: try pattern.json(), function: function))
            }
        }
        for function in functions where !rules.contains(where: { $0.function == function.logicalID }) {
            throw TemplateError("no rule targets \(function.logicalID): nothing would ever invoke it")
        }
    }

    private static func function(_ logicalID: String, _ resolver: TemplateResolver) throws -> Function {
        guard let executable = resolver.resource(logicalID)?["Metadata"]?["collections"]?["executable"]?.text else {
            throw TemplateError("\(logicalID) has no Metadata.collections.executable naming its binary")
        }
        var environment: [String: String] = [:]
        for (name, value) in try resolver.property(logicalID, "Environment")?["Variables"]?.map ?? [:] {
            guard let text = value.text else { throw TemplateError("\(logicalID): \(name) is not a string") }
            environment[name] = text
        }
        var retries = 2
        var deadLetterQueue: String?
        let arn = try resolver.attribute(logicalID, "Arn")
        let name = try resolver.physicalName(logicalID)
        for config in resolver.resources(ofType: "AWS::Lambda::EventInvokeConfig") {
            let target = try resolver.property(config, "FunctionName")?.text
            guard target == name || target == arn else { continue }
            if let value = try resolver.property(config, "MaximumRetryAttempts")?.text, let count = Int(value) {
                retries = count
            }
            if let destination = try resolver.property(config, "DestinationConfig")?["OnFailure"]?["Destination"]?
                .text
            {
                deadLetterQueue = destination.split(separator: ":").last.map(String.init)
            }
        }
        return Function(
            logicalID: logicalID, name: name, executable: executable,
            timeoutSeconds: Int(try resolver.property(logicalID, "Timeout")?.text ?? "3") ?? 3,
            memoryMB: Int(try resolver.property(logicalID, "MemorySize")?.text ?? "128") ?? 128,
            environment: environment, maximumRetryAttempts: retries, deadLetterQueue: deadLetterQueue)
    }
}
