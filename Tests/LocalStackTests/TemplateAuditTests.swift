import Foundation
import LocalStack
import Testing

@testable import TestSupport

/// `infrastructure/template.yaml` grants exact actions on exact resources, gives every function
/// and rule target a dead-letter path, and alarms on every function and dead-letter queue; and
/// the audit that says so catches each way of breaking it.
@Suite struct TemplateAuditTests {
    static let template: String = {
        (try? String(contentsOf: TestEnvironment.file("infrastructure/template.yaml"), encoding: .utf8)) ?? ""
    }()

    /// The template with `old`'s first occurrence replaced (which must exist).
    func edited(_ old: String, _ new: String) throws -> String {
        let range = try #require(Self.template.range(of: old), "the template no longer contains \(old)")
        return Self.template.replacingCharacters(in: range, with: new)
    }

    /// The template without one resource (its block, up to the blank line after it).
    func without(_ logicalID: String) throws -> String {
        let start = try #require(Self.template.range(of: "\n  \(logicalID):\n"))
        let end = try #require(Self.template.range(of: "\n\n", range: start.upperBound..<Self.template.endIndex))
        return Self.template.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: "")
    }

    func findings(_ yaml: String) throws -> [String] {
        try TemplateAudit(yaml: yaml).findings.map(\.description)
    }

    @Test func theTemplateHasNoFindings() throws {
        #expect(!Self.template.isEmpty)
        #expect(try findings(Self.template) == [])
    }

    @Test func aServiceWildcardActionIsNamedWithItsResourceAndStatement() throws {
        let yaml = try edited("Action: s3:GetObject", "Action: s3:*")
        #expect(
            try findings(yaml) == [
                "ImageProcessorRole, policy image-processor, statement 2: action s3:* has a wildcard"
            ])
    }

    @Test func aStatementGrantedUnderAConditionIsAuditedToo() throws {
        let found = try findings(try edited("Action: bedrock:InvokeModel", "Action: bedrock:*"))
        #expect(found.contains { $0.contains("action bedrock:* has a wildcard") }, "\(found)")
    }

    @Test func bedrockIsGrantedOnExactlyTheProfileAndItsFoundationModel() throws {
        #expect(Self.template.contains("inference-profile/${BedrockInferenceProfile}"))
        #expect(Self.template.contains("foundation-model/anthropic.${Model}"))
        let statement = try #require(Self.template.range(of: "Action: bedrock:InvokeModel"))
        let block = Self.template[statement.lowerBound...].prefix(600)
        #expect(!block.contains("Resource: \"*\""), "\(block)")
    }

    @Test func aPartialWildcardIsAWildcard() throws {
        let yaml = try edited("Action: s3:PutObject", "Action: [s3:PutObject, s3:Get*]")
        #expect(
            try findings(yaml) == [
                "ImageProcessorRole, policy image-processor, statement 3: action s3:Get* has a wildcard"
            ])
    }

    @Test func anyActionOnAnyResourceIsTwoFindings() throws {
        let yaml = try edited(
            "Action: events:PutEvents\n                Resource: !GetAtt EventBus.Arn",
            "Action: \"*\"\n                Resource: \"*\"")
        #expect(
            try findings(yaml) == [
                "ImageProcessorRole, policy image-processor, statement 4: action * has a wildcard",
                "ImageProcessorRole, policy image-processor, statement 4: Resource \"*\" for *",
            ])
    }

    @Test func anExactActionOnAnyResourceIsAFinding() throws {
        let yaml = try edited("Resource: !GetAtt EventBus.Arn", "Resource: \"*\"")
        #expect(
            try findings(yaml) == [
                "ImageProcessorRole, policy image-processor, statement 4: Resource \"*\" for events:PutEvents"
            ])
    }

    /// X-Ray grants its two tracing actions only on "*": those alone pass, and only under the
    /// tracing switch's statement; any other X-Ray action there is a finding.
    @Test func onlyXRaysTracingActionsMayBeOnAnyResource() throws {
        #expect(Self.template.contains("Action: [xray:PutTraceSegments, xray:PutTelemetryRecords]"))
        let yaml = try edited(
            "Action: [xray:PutTraceSegments, xray:PutTelemetryRecords]",
            "Action: [xray:PutTraceSegments, xray:GetTraceSummaries]")
        #expect(
            try findings(yaml) == [
                "ImageProcessorRole, policy image-processor, statement 7: Resource \"*\" for xray:GetTraceSummaries"
            ])
    }

    @Test func notActionIsAFinding() throws {
        let yaml = try edited(
            "Action: sqs:SendMessage\n                Resource: !GetAtt E",
            "NotAction: iam:*\n                Resource: !GetAtt E")
        #expect(
            try findings(yaml) == [
                "EmbedderRole, policy embedder, statement 5: NotAction grants every action but those listed"
            ])
    }

    @Test func loggingMayUseWildcardsButNotBesideOtherActions() throws {
        let logging = try edited(
            "Action: [logs:CreateLogStream, logs:PutLogEvents]\n                Resource: !GetAtt AnalyzerLogGroup.Arn",
            "Action: logs:*\n                Resource: \"*\"")
        #expect(try findings(logging) == [])
        let mixed = try edited("Action: [logs:CreateLogStream, logs:PutLogEvents]", "Action: [logs:*, s3:ListBucket]")
        #expect(
            try findings(mixed) == [
                "ImageProcessorRole, policy image-processor, statement 1: action logs:* has a wildcard"
            ])
    }

    @Test func anUnvettedManagedPolicyIsAFinding() throws {
        let yaml = try edited("service-role/AWSLambdaVPCAccessExecutionRole", "AdministratorAccess")
        let found = try findings(yaml)
        #expect(found.count == 1 && found[0].hasPrefix("AnalyzerRole, ManagedPolicyArns: "), "\(found)")
        #expect(found.first?.contains("AdministratorAccess") == true)
    }

    @Test func aFunctionWithoutARedrivenQueueHasNoDeadLetterPath() throws {
        let unmapped = try findings(without("AnalyzerEventSourceMapping"))
        #expect(unmapped.count == 1 && unmapped[0].hasPrefix("AnalyzerFunction: no dead-letter path"), "\(unmapped)")
        let withDeadLetterConfig = try without("AnalyzerEventSourceMapping").replacingOccurrences(
            of: "      Role: !GetAtt AnalyzerRole.Arn\n",
            with: "      Role: !GetAtt AnalyzerRole.Arn\n      DeadLetterConfig:\n"
                + "        TargetArn: !GetAtt AnalyzerDeadLetterQueue.Arn\n")
        #expect(try findings(withDeadLetterConfig) == [])
        let noRedrive = try findings(
            edited(
                "      RedrivePolicy:\n        deadLetterTargetArn: !GetAtt AnalyzerDeadLetterQueue.Arn\n"
                    + "        maxReceiveCount: !Ref MaxReceiveCount\n", ""))
        #expect(
            Set(noRedrive) == [
                "AnalyzerQueue: no dead-letter path: no RedrivePolicy.deadLetterTargetArn",
                "AnalyzerFunction: no dead-letter path: no event source mapping from a queue with a RedrivePolicy, "
                    + "no AWS::Lambda::EventInvokeConfig with DestinationConfig.OnFailure for it, and no DeadLetterConfig",
            ], "\(noRedrive)")
    }

    @Test func aMappingNeedsACapPartialResponsesAndAQueueSizedForItsFunction() throws {
        let uncapped = try edited(
            "      FunctionResponseTypes: [ReportBatchItemFailures]\n      ScalingConfig:\n"
                + "        MaximumConcurrency: !Ref AnalyzerMaxConcurrency\n", "")
        #expect(
            try findings(uncapped) == [
                "AnalyzerEventSourceMapping: no cap on concurrent invocations (ScalingConfig.MaximumConcurrency)",
                "AnalyzerEventSourceMapping: no partial batch responses (FunctionResponseTypes: "
                    + "[ReportBatchItemFailures]): one failed event retries its whole batch",
            ])
        #expect(
            try findings(edited("VisibilityTimeout: 720", "VisibilityTimeout: 300")) == [
                "AnalyzerQueue: visibility timeout 300 s is under six times AnalyzerFunction's timeout (120 s) "
                    + "plus the batching window (0 s)"
            ])
        #expect(
            try findings(edited("VisibilityTimeout: 380", "VisibilityTimeout: 370")) == [
                "EmbedderQueue: visibility timeout 370 s is under six times EmbedderFunction's timeout (60 s) "
                    + "plus the batching window (20 s)"
            ])
        let fewReceives = try findings(edited("    Default: 5\n    MinValue: 5\n", "    Default: 5\n    MinValue: 2\n"))
        #expect(
            fewReceives.count == 3
                && fewReceives.allSatisfy {
                    $0.hasSuffix("maxReceiveCount can be 2; AWS advises at least 5 for a Lambda event source")
                }, "\(fewReceives)")
        #expect(
            try findings(without("ImageProcessorQueueAgeAlarm")) == [
                "ImageProcessorQueue: a function's queue with no alarm on its ApproximateAgeOfOldestMessage"
            ])
    }

    @Test func aRuleTargetNeedsADeadLetterConfigAndARetryPolicy() throws {
        let noDeadLetters = try edited(
            "          DeadLetterConfig:\n            Arn: !GetAtt AnalyzerDeadLetterQueue.Arn\n", "")
        #expect(try findings(noDeadLetters) == ["ProcessedRule, target analyzer: no DeadLetterConfig"])
        let noRetries = try edited(
            """
                      RetryPolicy:
                        MaximumRetryAttempts: 10
                        MaximumEventAgeInSeconds: 3600
                      DeadLetterConfig:
                        Arn: !GetAtt EmbedderDeadLetterQueue.Arn
            """,
            "          DeadLetterConfig:\n            Arn: !GetAtt EmbedderDeadLetterQueue.Arn")
        #expect(try findings(noRetries) == ["AnalyzedRule, target embedder: no RetryPolicy"])
    }

    @Test func everyFunctionAndDeadLetterQueueNeedsItsAlarm() throws {
        #expect(try findings(without("AnalyzerErrorsAlarm")) == ["AnalyzerFunction: no alarm on its Errors"])
        #expect(
            try findings(without("EmbedderDeadLetterAlarm")) == [
                "EmbedderDeadLetterQueue: a dead-letter queue with no alarm on its ApproximateNumberOfMessagesVisible"
            ])
    }

    @Test func standalonePoliciesAreCheckedAndDeniesAreNot() throws {
        let found = try findings(
            """
            Resources:
              Managed:
                Type: AWS::IAM::ManagedPolicy
                Properties:
                  PolicyDocument:
                    Statement:
                      Effect: Allow
                      Action: dynamodb:*
                      Resource: "*"
              Inline:
                Type: AWS::IAM::Policy
                Properties:
                  PolicyName: extra
                  PolicyDocument:
                    Statement:
                      - Sid: NoDeletes
                        Effect: Deny
                        Action: "*"
                        Resource: "*"
                      - Sid: Computed
                        Effect: Allow
                        Action: !Ref SomeParameter
                        Resource: !Ref SomeBucket
            """)
        #expect(
            found == [
                "Inline, policy, statement 2 (Computed): an action that is not a literal string",
                "Managed, policy, statement 1: action dynamodb:* has a wildcard",
                "Managed, policy, statement 1: Resource \"*\" for dynamodb:*",
            ])
    }
}
