import Foundation
import LocalStack
import PipelineCore
import Testing

@testable import TestSupport

/// `aws cloudformation create-stack` of `infrastructure/template.yaml` on moto: a smoke test
/// (`cfn-lint` is the template's real check) that the stack creates and holds the functions,
/// rules, queues, parameters and outputs it should, and that they match what the local stack
/// reads from the same template.
///
/// moto 5 creates buckets, buses, rules, queues, log groups, roles, functions and permissions.
/// It skips `AWS::Lambda::EventInvokeConfig`, `AWS::SQS::QueuePolicy` and
/// `AWS::CloudWatch::Alarm` (with a warning), drops outputs that refer to them, and ignores
/// bucket notification settings.
@Suite(.enabled(if: MotoServer.enabled, "needs moto (scripts/test)"))
struct TemplateOnMotoTests {
    static let templatePath = TestEnvironment.file("infrastructure/template.yaml").path
    /// The resource types moto's CloudFormation creates.
    static let createdTypes: Set = [
        "AWS::S3::Bucket", "AWS::Events::EventBus", "AWS::Events::Rule", "AWS::SQS::Queue", "AWS::Logs::LogGroup",
        "AWS::IAM::Role", "AWS::Lambda::Function", "AWS::Lambda::EventSourceMapping",
    ]

    /// Created as is, and with Claude on Bedrock (the key parameter unread, the profile passed on)
    /// and X-Ray active tracing.
    @Test(arguments: [
        [:],
        [
            "ClaudeProvider": "bedrock", "BedrockInferenceProfile": "eu.anthropic.claude-haiku-4-5-20251001-v1:0",
            "Tracing": "Active",
        ],
    ])
    func theStackCreatesOnMoto(provider: [String: String]) async throws {
        let moto = try MotoServer.requireOpen()
        let stack = MotoServer.uniqueName("collections")
        let artifacts = "\(stack)-artifacts"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(artifacts)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // An empty zip archive (its end-of-central-directory record alone) for each function.
        for function in ["ImageProcessor", "Analyzer", "Embedder"] {
            try Data([0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18))
                .write(to: directory.appendingPathComponent("\(function).zip"))
        }
        let parameters = [
            "ArtifactBucket": artifacts, "EventBusName": "\(stack)-bus", "ClaudeModel": "claude-on-moto",
            "DatabaseUrlParameterName": "/\(stack)/database-url", "AnalyzerConcurrency": "5",
            "AlarmTopicArn": "arn:aws:sns:us-east-1:123456789012:\(stack)-alarms",
        ].merging(provider) { $1 }
        var failure: (any Error)?
        do {
            _ = try await aws(moto, ["s3api", "create-bucket", "--bucket", artifacts])
            _ = try await aws(moto, ["s3", "cp", directory.path, "s3://\(artifacts)/", "--recursive", "--quiet"])
            // Over TemplateBody's 51,200 bytes: from S3, as CloudFormation requires.
            _ = try await aws(moto, ["s3", "cp", Self.templatePath, "s3://\(artifacts)/template.yaml", "--quiet"])
            _ = try await aws(
                moto,
                ["cloudformation", "create-stack", "--stack-name", stack]
                    + ["--template-url", "https://\(artifacts).s3.us-east-1.amazonaws.com/template.yaml"]
                    + ["--capabilities", "CAPABILITY_IAM"]
                    + ["--parameters"] + parameters.map { "ParameterKey=\($0.key),ParameterValue=\($0.value)" })
            try await check(stack, parameters, on: moto)
        } catch {
            failure = error
        }
        // Cleaned up whatever happened; moto deletes the stack's resources with it.
        let deleted = try await moto.aws(["cloudformation", "delete-stack", "--stack-name", stack])
        let removed = try await moto.aws(["s3", "rb", "s3://\(artifacts)", "--force"])
        if let failure { throw failure }
        #expect(deleted.status == 0 && removed.status == 0, "\(deleted.stderr)\(removed.stderr)")
        let functions = try await aws(moto, ["lambda", "list-functions"])["Functions"] as? [[String: Any]]
        #expect(functions?.contains { ($0["FunctionName"] as? String)?.hasPrefix(stack) == true } == false)
    }

    private func check(_ stack: String, _ parameters: [String: String], on moto: MotoServer) async throws {
        let description = try await waitForCreation(stack, on: moto)
        let template = try TemplateValue.parse(yaml: String(contentsOfFile: Self.templatePath, encoding: .utf8))

        // Parameters: every one of the template's, with the values given.
        let given = pairs(description["Parameters"], "ParameterKey", "ParameterValue")
        #expect(Set(given.keys) == Set((template["Parameters"]?.map ?? [:]).keys))
        #expect(given.filter { parameters[$0.key] != nil } == parameters)
        #expect(given["ImageProcessorMemory"] == "1024" && given["EmbedderConcurrency"] == "0")

        // Outputs: all but the alarms' names, which refer to resources moto skips.
        let outputs = pairs(description["Outputs"], "OutputKey", "OutputValue")
        let missing = Set((template["Outputs"]?.map ?? [:]).keys).subtracting(outputs.keys)
        #expect(missing.allSatisfy { $0.hasSuffix("AlarmName") }, "\(missing)")
        #expect(outputs["EventBusName"] == "\(stack)-bus")
        let bucket = try #require(outputs["UploadBucketName"])

        // What the local stack reads from the same template, resolved for this stack.
        let resolver = try TemplateResolver(
            template: template, parameterValues: parameters.merging(["UploadBucketName": bucket]) { $1 },
            names: .init(stackName: stack, region: moto.region))
        let topology = try PipelineTopology(resolver: resolver)

        // Functions: provided.al2023 with bootstrap, and the local stack's timeouts, memory and
        // environments (moto keeps numbers in the environment as numbers).
        async let listing = moto.aws(["lambda", "list-functions"])
        async let analyzer = moto.aws(["lambda", "get-function", "--function-name", "\(stack)-analyzer"])
        async let processor = moto.aws(["lambda", "get-function", "--function-name", "\(stack)-image-processor"])
        async let resources = moto.aws(["cloudformation", "list-stack-resources", "--stack-name", stack])
        async let alarms = moto.aws(["cloudwatch", "describe-alarms", "--alarm-name-prefix", stack])
        let functions = Dictionary(
            uniqueKeysWithValues: (try decode(await listing)["Functions"] as? [[String: Any]] ?? []).compactMap {
                function in
                (function["FunctionName"] as? String).map { ($0, function) }
            }.filter { $0.0.hasPrefix("\(stack)-") })
        #expect(functions.count == 3 && topology.functions.count == 3)
        for expected in topology.functions {
            let function = try #require(functions[expected.name], "no function \(expected.name)")
            #expect(
                function["Runtime"] as? String == "provided.al2023" && function["Handler"] as? String == "bootstrap")
            #expect(function["Timeout"] as? Int == expected.timeoutSeconds)
            #expect(function["MemorySize"] as? Int == expected.memoryMB)
            #expect(function["Architectures"] as? [String] == ["x86_64"])
            // moto's CloudFormation leaves every function PassThrough; the template's own value:
            let logicalID = "\(expected.executable)Function"
            let tracing = try resolver.property(logicalID, "TracingConfig")?["Mode"]?.text
            #expect(tracing == parameters["Tracing"] ?? "PassThrough", "\(expected.name)")
            #expect(outputs["\(expected.executable)FunctionArn"] == function["FunctionArn"] as? String)
            var environment = ((function["Environment"] as? [String: Any])?["Variables"] as? [String: Any] ?? [:])
                .mapValues { "\($0)" }
            // moto keeps a variable whose value is Fn::If's AWS::NoValue; CloudFormation removes it
            // (AWS::NoValue "removes the corresponding resource property"), as the local stack does.
            if parameters["ClaudeProvider"] == "bedrock" {
                environment["COLLECTIONS_ANTHROPIC_API_KEY_PARAMETER"] = nil
            }
            #expect(environment == expected.environment, "\(expected.name)")
        }
        let analyzerEnvironment = try #require(topology.functions.first { $0.executable == "Analyzer" }?.environment)
        #expect(analyzerEnvironment["COLLECTIONS_DATABASE_URL_PARAMETER"] == "/\(stack)/database-url")
        if let profile = parameters["BedrockInferenceProfile"] {
            #expect(analyzerEnvironment["COLLECTIONS_CLAUDE_PROVIDER"] == "bedrock")
            #expect(analyzerEnvironment["COLLECTIONS_ANTHROPIC_API_KEY_PARAMETER"] == nil)
            #expect(analyzerEnvironment["COLLECTIONS_CLAUDE_MODEL"] == profile)
        } else {
            #expect(analyzerEnvironment["COLLECTIONS_CLAUDE_PROVIDER"] == "anthropic")
            #expect(analyzerEnvironment["COLLECTIONS_ANTHROPIC_API_KEY_PARAMETER"] == "/collections/anthropic-api-key")
            #expect(analyzerEnvironment["COLLECTIONS_CLAUDE_MODEL"] == "claude-on-moto")
        }
        // Reserved concurrency only where a parameter asks for it.
        let reserved = try decode(await analyzer)["Concurrency"] as? [String: Any]
        #expect(reserved?["ReservedConcurrentExecutions"] as? Int == 5)
        #expect(try decode(await processor)["Concurrency"] == nil)

        // Every resource of a type moto supports was created.
        let created = Dictionary(
            (try decode(await resources)["StackResourceSummaries"] as? [[String: Any]] ?? []).compactMap { resource in
                (resource["LogicalResourceId"] as? String).map { ($0, resource["ResourceStatus"] as? String) }
            }
        ) { first, _ in first }
        for (logicalID, resource) in template["Resources"]?.map ?? [:]
        where Self.createdTypes.contains(resource["Type"]?.text ?? "") {
            #expect(created[logicalID] == "CREATE_COMPLETE", "\(logicalID)")
        }
        // moto's CloudFormation creates no alarms; should a later moto, they must all be there.
        let alarmNames = (try decode(await alarms)["MetricAlarms"] as? [[String: Any]] ?? []).compactMap {
            $0["AlarmName"] as? String
        }
        #expect(alarmNames.isEmpty || alarmNames.count == 9, "\(alarmNames)")

        try await checkRulesAndQueues(stack, topology, outputs, on: moto)
        try await checkRedrive(stack, outputs, on: moto)
    }

    /// `collections failures` and `redrive --stack` on the real template's outputs: an event the
    /// Analyzer dead-lettered with its error is listed, then sent back to the Analyzer's queue.
    private func checkRedrive(_ stack: String, _ outputs: [String: String], on moto: MotoServer) async throws {
        let sqs = SQSClient(client: moto.client(), endpoint: moto.endpoint)
        let deadLetter = try #require(outputs["AnalyzerDeadLetterQueueUrl"])
        let queue = try #require(outputs["AnalyzerQueueUrl"])
        let body = DeployedDeadLettersTests.event("carol/refused.jpg")
        try await sqs.send(
            to: deadLetter, body: body,
            attributes: ["ERROR_TYPE": "ClaudeError", "ERROR_MESSAGE": "refused", "FUNCTION": "a", "ATTEMPTS": "5"])
        let listed = try await DeployedDeadLettersTests.failures(moto, ["--stack", stack])
        #expect(listed.map(\.subject) == ["carol/refused.jpg"] && listed.first?.errorType == "ClaudeError", "\(listed)")
        let redrive = try await DeployedDeadLettersTests.collections(moto, ["redrive", "--stack", stack])
        #expect(redrive.status == 0 && redrive.stdout.contains("sent 1 event"), "\(redrive.stdout)\(redrive.stderr)")
        #expect(try await sqs.receive(from: queue, wait: .seconds(1)).map(\.body) == [body])
    }

    /// The four rules on their buses with the local stack's patterns, each targeting its function's
    /// queue with a retry policy and a dead-letter queue; each queue with its redrive policy and its
    /// event source mapping; the three dead-letter queues.
    private func checkRulesAndQueues(
        _ stack: String, _ topology: PipelineTopology, _ outputs: [String: String], on moto: MotoServer
    ) async throws {
        let queueURLs = try await moto.call(
            .sqs, "AmazonSQS.ListQueues", ["QueueNamePrefix": "\(stack)-"], jsonVersion: "1.0")["QueueUrls"]
        let queues = Set((queueURLs as? [String] ?? []).map { URL(string: $0)?.lastPathComponent ?? $0 })
        let expectedQueues = topology.functions.flatMap { [$0.queue.name, $0.queue.deadLetterName] }
        #expect(queues == Set(expectedQueues) && queues.count == 6, "\(queues)")
        let mappings = try await aws(moto, ["lambda", "list-event-source-mappings"])["EventSourceMappings"]
        for function in topology.functions {
            let executable = function.executable
            let url = try #require(outputs["\(executable)QueueUrl"], "\(executable)")
            #expect(outputs["\(executable)DeadLetterQueueUrl"]?.hasSuffix("/\(function.queue.deadLetterName)") == true)
            let attributes =
                try await moto.call(
                    .sqs, "AmazonSQS.GetQueueAttributes", ["QueueUrl": url, "AttributeNames": ["All"]],
                    jsonVersion: "1.0")[
                    "Attributes"] as? [String: String] ?? [:]
            #expect(attributes["VisibilityTimeout"] == "\(function.queue.visibilityTimeoutSeconds)", "\(executable)")
            let redrive = try json(attributes["RedrivePolicy"]) as? [String: Any]
            #expect(
                (redrive?["deadLetterTargetArn"] as? String)?.hasSuffix(":\(function.queue.deadLetterName)") == true)
            #expect("\(redrive?["maxReceiveCount"] ?? "")" == "\(function.queue.maxReceiveCount)", "\(executable)")
            let mapping = (mappings as? [[String: Any]] ?? []).first {
                ($0["EventSourceArn"] as? String) == outputs["\(executable)QueueArn"]
            }
            #expect((mapping?["FunctionArn"] as? String) == outputs["\(executable)FunctionArn"], "\(executable)")
            #expect(mapping?["BatchSize"] as? Int == function.eventSource.batchSize, "\(executable)")
        }

        var rules: [String: [String: Any]] = [:]
        for bus in ["default", "\(stack)-bus"] {
            let listed = try await moto.call(
                .eventBridge, "AWSEvents.ListRules", ["EventBusName": bus, "NamePrefix": "\(stack)-"])
            for rule in listed["Rules"] as? [[String: Any]] ?? [] {
                // CloudFormation names a rule <stack>-<LogicalId>-<suffix>.
                let name = rule["Name"] as? String ?? ""
                rules[String(name.dropFirst(stack.count + 1).prefix { $0 != "-" })] = rule
            }
        }
        #expect(Set(rules.keys) == Set(topology.rules.map(\.logicalID)) && rules.count == 4, "\(rules.keys)")
        let functions = Dictionary(uniqueKeysWithValues: topology.functions.map { ($0.logicalID, $0) })
        for expected in topology.rules {
            let rule = try #require(rules[expected.logicalID])
            #expect(rule["EventBusName"] as? String == (expected.busName ?? "default"), "\(expected.logicalID)")
            #expect(try json(rule["EventPattern"] as? String) == json(expected.pattern), "\(expected.logicalID)")
            let listed = try await moto.call(
                .eventBridge, "AWSEvents.ListTargetsByRule",
                ["Rule": rule["Name"] as? String ?? "", "EventBusName": rule["EventBusName"] as? String ?? ""])
            let targets = listed["Targets"] as? [[String: Any]] ?? []
            let function = try #require(functions[expected.function])
            #expect(targets.count == 1, "\(expected.logicalID)")
            #expect(targets.first?["Arn"] as? String == outputs["\(function.executable)QueueArn"])
            let deadLetters = (targets.first?["DeadLetterConfig"] as? [String: Any])?["Arn"] as? String
            #expect(deadLetters?.hasSuffix(":\(function.queue.deadLetterName)") == true, "\(expected.logicalID)")
            let retries = (targets.first?["RetryPolicy"] as? [String: Any])?["MaximumRetryAttempts"] as? Int
            #expect(retries == 10, "\(expected.logicalID)")
        }
    }

    /// Polls until the stack is CREATE_COMPLETE (moto creates it at once); returns its description.
    private func waitForCreation(_ stack: String, on moto: MotoServer) async throws -> [String: Any] {
        let start = ContinuousClock.now
        while true {
            let stacks = try await aws(moto, ["cloudformation", "describe-stacks", "--stack-name", stack])["Stacks"]
            let description = (stacks as? [[String: Any]])?.first ?? [:]
            let status = description["StackStatus"] as? String ?? "?"
            if status == "CREATE_COMPLETE" { return description }
            guard status == "CREATE_IN_PROGRESS", ContinuousClock.now - start < .seconds(30) else {
                throw TestSetupError("stack \(stack) is \(status): \(description["StackStatusReason"] ?? "")")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Runs the `aws` CLI against moto and decodes its JSON output (empty for none).
    private func aws(_ moto: MotoServer, _ arguments: [String]) async throws -> [String: Any] {
        try decode(await moto.aws(arguments))
    }

    /// An `aws` command's JSON output (empty for none).
    private func decode(_ outcome: Products.Outcome) throws -> [String: Any] {
        guard outcome.status == 0 else { throw TestSetupError("aws failed: \(outcome.stderr)") }
        if outcome.stdout.allSatisfy(\.isWhitespace) { return [:] }
        return try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any] ?? [:]
    }

    /// `[{key: K, value: V}]` as `[K: V]`.
    private func pairs(_ list: Any?, _ key: String, _ value: String) -> [String: String] {
        var pairs: [String: String] = [:]
        for entry in list as? [[String: Any]] ?? [] {
            if let name = entry[key] as? String { pairs[name] = entry[value] as? String ?? "" }
        }
        return pairs
    }

    private func json(_ text: String?) throws -> NSDictionary? {
        try text.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? NSDictionary }
    }
}
