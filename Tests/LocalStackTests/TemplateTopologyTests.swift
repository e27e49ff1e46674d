import Foundation
import LocalStack
import Testing

@testable import TestSupport

/// The local stack reads `infrastructure/template.yaml`: its rules, functions and retry policy.
@Suite struct TemplateTopologyTests {
    func topology(_ parameters: [String: String] = [:]) throws -> PipelineTopology {
        let template = try TemplateValue.parse(
            yaml: String(contentsOf: TestEnvironment.file("infrastructure/template.yaml"), encoding: .utf8))
        let resolver = try TemplateResolver(
            template: template,
            parameterValues: ["ArtifactBucket": "artifacts", "UploadBucketName": "uploads"].merging(parameters) { $1 },
            names: .init(stackName: "s", region: "eu-west-1"))
        return try PipelineTopology(resolver: resolver)
    }

    @Test func functionsComeWithTheirBinariesTimeoutsEnvironmentAndRetries() throws {
        let topology = try topology()
        #expect(topology.bucketName == "uploads" && topology.busName == "collections")
        let byExecutable = Dictionary(uniqueKeysWithValues: topology.functions.map { ($0.executable, $0) })
        #expect(Set(byExecutable.keys) == ["ImageProcessor", "Analyzer", "Embedder"])
        let analyzer = try #require(byExecutable["Analyzer"])
        #expect(analyzer.name == "s-analyzer" && analyzer.timeoutSeconds == 120)
        #expect(analyzer.queue.name == "s-analyzer" && analyzer.queue.deadLetterName == "s-analyzer-dlq")
        #expect(analyzer.queue.maxReceiveCount == 5 && analyzer.queue.visibilityTimeoutSeconds == 720)
        let source = analyzer.eventSource
        #expect(source.batchSize == 4 && source.batchingWindowSeconds == 0 && source.maximumConcurrency == 2)
        #expect(source.reportsBatchItemFailures)
        let embedder = try #require(byExecutable["Embedder"])
        #expect(embedder.eventSource.batchSize == 100 && embedder.eventSource.batchingWindowSeconds == 5)
        #expect(analyzer.environment["COLLECTIONS_MAX_RECEIVE_COUNT"] == "5")
        #expect(analyzer.environment["COLLECTIONS_EVENT_BUS_NAME"] == "collections")
        #expect(analyzer.environment["COLLECTIONS_DATABASE_URL_PARAMETER"] == "/collections/database-url")
        #expect(analyzer.environment["COLLECTIONS_RENDITION_PREFIX"] == "derived/renditions/")
        #expect(byExecutable["Embedder"]?.environment["COLLECTIONS_EMBEDDING_DIMENSIONS"] == "1024")
        #expect(byExecutable["ImageProcessor"]?.environment["COLLECTIONS_THUMBNAIL_SIZE"] == "512")
    }

    @Test func rulesCarryTheirPatternsBusesAndTargets() throws {
        let topology = try topology()
        let rules = Dictionary(uniqueKeysWithValues: topology.rules.map { ($0.logicalID, $0) })
        let upload = try #require(rules["UploadRule"])
        #expect(upload.busName == nil, "S3 sends to the default bus")
        #expect(upload.function == "ImageProcessorFunction")
        #expect(upload.pattern.contains(#""name":["uploads"]"#), "\(upload.pattern)")
        #expect(upload.pattern.contains(#""anything-but":{"prefix":"derived/"}"#), "\(upload.pattern)")
        #expect(rules["ReplayRule"]?.busName == "collections")
        #expect(rules["ReplayRule"]?.pattern.contains("collections.replay") == true)
        #expect(rules["ProcessedRule"]?.function == "AnalyzerFunction")
        #expect(
            rules["AnalyzedRule"]?.pattern == #"{"detail-type":["ImageAnalyzed"],"source":["collections.analyzer"]}"#)
    }

    @Test func parametersOverrideDefaults() throws {
        let topology = try topology(["OutputPrefix": "out/", "EmbeddingDimensions": "512", "EventBusName": "b"])
        let embedder = try #require(topology.functions.first { $0.executable == "Embedder" })
        #expect(embedder.environment["COLLECTIONS_EMBEDDING_DIMENSIONS"] == "512")
        #expect(topology.busName == "b")
        #expect(topology.rules.first { $0.logicalID == "UploadRule" }?.pattern.contains("out/") == true)
    }

    @Test func memoryAndReservedConcurrencyComeFromParameters() throws {
        #expect(try topology().functions.map(\.memoryMB).sorted() == [256, 512, 1024])
        let analyzer = try topology(["AnalyzerMemory": "2048"]).functions.first { $0.executable == "Analyzer" }
        #expect(analyzer?.memoryMB == 2048)
        // The default 0 (a YAML number) and a given "0" both reserve nothing, as on CloudFormation.
        let template = try TemplateValue.parse(
            yaml: String(contentsOf: TestEnvironment.file("infrastructure/template.yaml"), encoding: .utf8))
        for (value, reserved) in [(nil, nil), ("0", nil), ("5", "5")] as [(String?, String?)] {
            var parameters = ["ArtifactBucket": "a"]
            parameters["AnalyzerConcurrency"] = value
            let resolver = try TemplateResolver(
                template: template, parameterValues: parameters, names: .init(stackName: "s", region: "eu-west-1"))
            #expect(try resolver.property("AnalyzerFunction", "ReservedConcurrentExecutions")?.text == reserved)
        }
    }

    @Test func intrinsicsResolve() throws {
        let template = try TemplateValue.parse(
            yaml: """
                Parameters:
                  Name: {Type: String, Default: ""}
                  List: {Type: CommaDelimitedList, Default: "a,b"}
                Conditions:
                  HasName: !Not [!Equals [!Ref Name, ""]]
                Resources:
                  Queue:
                    Type: AWS::SQS::Queue
                    Properties:
                      QueueName: !If [HasName, !Ref Name, !Sub "${AWS::StackName}-q"]
                      Tags: !Ref AWS::NoValue
                      Joined: !Join ["+", !Ref List]
                      Literal: !Sub "${!Keep}-${Queue.Arn}"
                """)
        let resolver = try TemplateResolver(
            template: template, parameterValues: [:], names: .init(stackName: "st", region: "us-east-1"))
        #expect(try resolver.physicalName("Queue") == "st-q")
        #expect(try resolver.property("Queue", "Tags") == nil)
        #expect(try resolver.property("Queue", "Joined")?.text == "a+b")
        #expect(try resolver.property("Queue", "Literal")?.text == "${Keep}-arn:aws:sqs:us-east-1:123456789012:st-q")
        let named = try TemplateResolver(
            template: template, parameterValues: ["Name": "mine"], names: .init(stackName: "st", region: "us-east-1"))
        #expect(try named.physicalName("Queue") == "mine")
    }

    @Test func aTemplateWithoutWhatTheStackNeedsIsAClearError() throws {
        let template = try TemplateValue.parse(yaml: "Resources: {}")
        let resolver = try TemplateResolver(
            template: template, parameterValues: [:], names: .init(stackName: "s", region: "us-east-1"))
        #expect(throws: TemplateError.self) { try PipelineTopology(resolver: resolver) }
        #expect(throws: TemplateError.self) { try TemplateValue.parse(yaml: "a: [unclosed") }
    }
}
