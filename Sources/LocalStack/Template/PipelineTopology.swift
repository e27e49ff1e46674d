import Foundation

/// What the local stack takes from `infrastructure/template.yaml`: the upload bucket, the bus,
/// each function (its binary, timeout, environment, and the queue and event source mapping that
/// feed it) and each rule (its bus, event pattern and target queue's function).
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
        /// The queue its rules deliver to and its event source mapping reads.
        public var queue: Queue
        /// The queue's logical id.
        public var queueLogicalID: String
        /// How the mapping feeds it.
        public var eventSource: EventSource
    }

    /// One `AWS::SQS::Queue` a function is fed from.
    public struct Queue: Sendable, Equatable {
        /// The queue name.
        public var name: String
        /// `VisibilityTimeout`, seconds (SQS's default 30).
        public var visibilityTimeoutSeconds: Int
        /// `MessageRetentionPeriod`, seconds (SQS's default 4 days).
        public var retentionSeconds: Int
        /// The redrive policy's `maxReceiveCount`.
        public var maxReceiveCount: Int
        /// The dead-letter queue's name.
        public var deadLetterName: String
    }

    /// One `AWS::Lambda::EventSourceMapping` from a queue.
    public struct EventSource: Sendable, Equatable {
        /// `BatchSize` (Lambda's default 10).
        public var batchSize: Int
        /// `MaximumBatchingWindowInSeconds` (default 0).
        public var batchingWindowSeconds: Int
        /// `ScalingConfig.MaximumConcurrency`: the invocations that may run at once.
        public var maximumConcurrency: Int
        /// Whether the function answers partial batch responses (`ReportBatchItemFailures`).
        public var reportsBatchItemFailures: Bool
    }

    /// One `AWS::Events::Rule` that targets a function.
    public struct Rule: Sendable, Equatable {
        /// The logical id.
        public var logicalID: String
        /// The bus; nil for the default bus.
        public var busName: String?
        /// The event pattern as JSON.
        public var pattern: String
        /// The logical id of the function whose queue it targets.
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
            uniqueKeysWithValues: try functions.map {
                (try resolver.attribute($0.queueLogicalID, "Arn"), $0.logicalID)
            })
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
            throw TemplateError("no rule targets \(function.logicalID)'s queue: nothing would ever invoke it")
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
        let name = try resolver.physicalName(logicalID)
        let arn = try resolver.attribute(logicalID, "Arn")
        let mappings = try resolver.resources(ofType: "AWS::Lambda::EventSourceMapping").filter {
            let target = try resolver.property($0, "FunctionName")?.text
            return target == name || target == arn
        }
        guard mappings.count == 1, let mapping = mappings.first else {
            throw TemplateError(
                "\(logicalID) needs one AWS::Lambda::EventSourceMapping from its queue, not \(mappings.count)")
        }
        func number(_ value: TemplateValue?, _ fallback: Int, _ what: String) throws -> Int {
            guard let value else { return fallback }
            guard let text = value.text, let number = Int(text) else {
                throw TemplateError("\(what) is not a number")
            }
            return number
        }
        guard let sourceARN = try resolver.property(mapping, "EventSourceArn")?.text,
            let queueID = try resolver.resources(ofType: "AWS::SQS::Queue").first(where: {
                try resolver.attribute($0, "Arn") == sourceARN
            })
        else { throw TemplateError("\(mapping) does not read one of the template's queues") }
        let redrive = try resolver.property(queueID, "RedrivePolicy")
        guard let deadLetterARN = redrive?["deadLetterTargetArn"]?.text,
            let deadLetterName = deadLetterARN.split(separator: ":").last.map(String.init)
        else { throw TemplateError("\(queueID) has no RedrivePolicy.deadLetterTargetArn") }
        let queue = Queue(
            name: try resolver.physicalName(queueID),
            visibilityTimeoutSeconds: try number(
                resolver.property(queueID, "VisibilityTimeout"), 30, "\(queueID).VisibilityTimeout"),
            retentionSeconds: try number(
                resolver.property(queueID, "MessageRetentionPeriod"), 345_600, "\(queueID).MessageRetentionPeriod"),
            maxReceiveCount: try number(redrive?["maxReceiveCount"], 10, "\(queueID).RedrivePolicy.maxReceiveCount"),
            deadLetterName: deadLetterName)
        let eventSource = EventSource(
            batchSize: try number(resolver.property(mapping, "BatchSize"), 10, "\(mapping).BatchSize"),
            batchingWindowSeconds: try number(
                resolver.property(mapping, "MaximumBatchingWindowInSeconds"), 0,
                "\(mapping).MaximumBatchingWindowInSeconds"),
            maximumConcurrency: try number(
                resolver.property(mapping, "ScalingConfig")?["MaximumConcurrency"], 2,
                "\(mapping).ScalingConfig.MaximumConcurrency"),
            reportsBatchItemFailures: (try resolver.property(mapping, "FunctionResponseTypes")?.list ?? []).contains {
                $0.text == "ReportBatchItemFailures"
            })
        return Function(
            logicalID: logicalID, name: name, executable: executable,
            timeoutSeconds: Int(try resolver.property(logicalID, "Timeout")?.text ?? "3") ?? 3,
            memoryMB: Int(try resolver.property(logicalID, "MemorySize")?.text ?? "128") ?? 128,
            environment: environment, queue: queue, queueLogicalID: queueID, eventSource: eventSource)
    }
}
