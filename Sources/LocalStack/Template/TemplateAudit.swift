import Foundation

/// Checks a template for what `cfn-lint` does not: IAM statements that grant more than exact
/// actions on exact resources, functions and rule targets without a dead-letter path, and
/// functions and dead-letter queues no alarm watches.
///
/// It reads the template as written (intrinsics unresolved), so it holds for every parameter
/// value. Only `Allow` statements are checked: a wildcard in a `Deny` takes rights away.
public struct TemplateAudit: Sendable {
    /// One problem, naming the resource and where in it.
    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        /// The resource's logical id.
        public var resource: String
        /// Where in the resource (`policy analyzer, statement 2`, `target embedder`); empty for
        /// the resource as a whole.
        public var location: String
        /// What is wrong.
        public var problem: String

        public var description: String {
            location.isEmpty ? "\(resource): \(problem)" : "\(resource), \(location): \(problem)"
        }
    }

    /// Actions AWS grants only on `Resource: "*"` that the template's own statements need: X-Ray's
    /// two for active tracing (`Tracing: Active`), which support no resource-level permissions
    /// (docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html, read
    /// 2026-12-04). The network-interface actions of a function in a VPC come from AWS's managed
    /// `AWSLambdaVPCAccessExecutionRole`. Add one here only with a statement that needs it.
    static let actionsOnlyOnAnyResource: Set<String> = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]

    /// AWS managed policies a role may attach. This audit cannot read their statements, so each
    /// is vetted here: `AWSLambdaVPCAccessExecutionRole` grants the network-interface actions a
    /// function in a VPC needs, which AWS allows only on `*`, and logging.
    static let managedPolicies: Set<String> = ["service-role/AWSLambdaVPCAccessExecutionRole"]

    /// Everything wrong, in resource order.
    public let findings: [Finding]

    /// Audits a parsed template.
    public init(template: TemplateValue) {
        let resources = template["Resources"]?.map ?? [:]
        let parameters = template["Parameters"]?.map ?? [:]
        var findings: [Finding] = []
        for (id, resource) in resources.sorted(by: { $0.key < $1.key }) {
            let properties = resource["Properties"]
            switch resource["Type"]?.text {
            case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group":
                for (index, policy) in (properties?["Policies"]?.list ?? []).enumerated() {
                    let name = policy["PolicyName"]?.text ?? "#\(index + 1)"
                    findings += Self.statements(policy["PolicyDocument"], in: id, "policy \(name)")
                }
                findings += Self.managedPolicyFindings(properties?["ManagedPolicyArns"], in: id, resources)
            case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
                findings += Self.statements(properties?["PolicyDocument"], in: id, "policy")
            case "AWS::Lambda::Function":
                if !Self.hasDeadLetterPath(id, properties, resources) {
                    findings.append(
                        Finding(
                            resource: id, location: "",
                            problem: "no dead-letter path: no event source mapping from a queue with a "
                                + "RedrivePolicy, no AWS::Lambda::EventInvokeConfig with "
                                + "DestinationConfig.OnFailure for it, and no DeadLetterConfig"))
                }
                if !Self.isWatched(id, namespace: "AWS/Lambda", metric: "Errors", dimension: "FunctionName", resources)
                {
                    findings.append(Finding(resource: id, location: "", problem: "no alarm on its Errors"))
                }
            case "AWS::Events::Rule":
                for (index, target) in (properties?["Targets"]?.list ?? []).enumerated() {
                    let location = "target \(target["Id"]?.text ?? "#\(index + 1)")"
                    if target["DeadLetterConfig"]?["Arn"] == nil {
                        findings.append(Finding(resource: id, location: location, problem: "no DeadLetterConfig"))
                    }
                    if target["RetryPolicy"] == nil {
                        findings.append(Finding(resource: id, location: location, problem: "no RetryPolicy"))
                    }
                }
            case "AWS::Lambda::EventSourceMapping":
                findings += Self.mappingFindings(id, properties, resources, parameters: parameters)
            default:
                break
            }
        }
        for queue in Self.deadLetterQueues(resources).sorted()
        where !Self.isWatched(
            queue, namespace: "AWS/SQS", metric: "ApproximateNumberOfMessagesVisible", dimension: "QueueName", resources
        ) {
            findings.append(
                Finding(
                    resource: queue, location: "",
                    problem: "a dead-letter queue with no alarm on its ApproximateNumberOfMessagesVisible"))
        }
        self.findings = findings
    }

    /// Audits a template's YAML.
    /// - Throws: ``TemplateError`` when it does not parse.
    public init(yaml: String) throws {
        self.init(template: try TemplateValue.parse(yaml: yaml))
    }

    // MARK: - IAM

    private static func statements(_ document: TemplateValue?, in resource: String, _ policy: String) -> [Finding] {
        let statement = document?["Statement"]
        let statements = (statement?.list ?? (statement.map { [$0] } ?? [])).flatMap(branches)
        return statements.enumerated().flatMap { index, statement in
            let sid = statement["Sid"]?.text.map { " (\($0))" } ?? ""
            let location = "\(policy), statement \(index + 1)\(sid)"
            return problems(statement).map { Finding(resource: resource, location: location, problem: $0) }
        }
    }

    private static func problems(_ statement: TemplateValue) -> [String] {
        guard statement["Effect"]?.text != "Deny" else { return [] }
        var problems: [String] = []
        if statement["NotAction"] != nil { problems.append("NotAction grants every action but those listed") }
        if statement["NotResource"] != nil { problems.append("NotResource grants every resource but those listed") }
        var actions: [String] = []
        for action in literals(statement["Action"]) {
            if let action { actions.append(action) } else { problems.append("an action that is not a literal string") }
        }
        // Logging's actions may be wildcards and on any resource: that is all they ever touch.
        if !actions.isEmpty, actions.allSatisfy({ $0.lowercased().hasPrefix("logs:") }) { return problems }
        for action in actions where action.contains("*") {
            problems.append("action \(action) has a wildcard")
        }
        if literals(statement["Resource"]).contains("*") {
            let actions = actions.filter { !actionsOnlyOnAnyResource.contains($0) }
            if !actions.isEmpty {
                problems.append("Resource \"*\" for \(actions.joined(separator: ", "))")
            }
        }
        return problems
    }

    /// A statement, or both branches of a statement-level `Fn::If` (none for `AWS::NoValue`), so a
    /// statement granted only under a condition is audited too.
    private static func branches(_ statement: TemplateValue) -> [TemplateValue] {
        if let parts = statement["Fn::If"]?.list, parts.count == 3 { return branches(parts[1]) + branches(parts[2]) }
        if statement["Ref"]?.text == "AWS::NoValue" { return [] }
        return [statement]
    }

    /// The strings in a value: both branches of `Fn::If`, nothing for `AWS::NoValue`, and nil
    /// for any other intrinsic (which the audit cannot see through).
    private static func literals(_ value: TemplateValue?) -> [String?] {
        switch value {
        case nil: return []
        case .list(let values)?: return values.flatMap { literals($0) }
        case .map(let members)?:
            if let branches = members["Fn::If"]?.list, branches.count == 3 {
                return literals(branches[1]) + literals(branches[2])
            }
            if members["Ref"]?.text == "AWS::NoValue" { return [] }
            return [nil]
        case let value?: return [value.text]
        }
    }

    private static func managedPolicyFindings(
        _ arns: TemplateValue?, in resource: String, _ resources: [String: TemplateValue]
    ) -> [Finding] {
        managedPolicyARNs(arns).compactMap { arn in
            if let arn, managedPolicies.contains(where: { arn.hasSuffix(":iam::aws:policy/\($0)") }) { return nil }
            if let arn, let target = resources[arn], target["Type"]?.text == "AWS::IAM::ManagedPolicy" { return nil }
            return Finding(
                resource: resource, location: "ManagedPolicyArns",
                problem: "\(arn ?? "a computed ARN") is not a policy this audit has vetted or can read")
        }
    }

    /// Managed policy ARNs as written (`Fn::Sub` text), or the logical id a `Ref` names.
    private static func managedPolicyARNs(_ value: TemplateValue?) -> [String?] {
        switch value {
        case nil: return []
        case .list(let values)?: return values.flatMap { managedPolicyARNs($0) }
        case .map(let members)?:
            if let branches = members["Fn::If"]?.list, branches.count == 3 {
                return managedPolicyARNs(branches[1]) + managedPolicyARNs(branches[2])
            }
            if let name = members["Ref"]?.text { return name == "AWS::NoValue" ? [] : [name] }
            return [members["Fn::Sub"]?.text]
        case let value?: return [value.text]
        }
    }

    // MARK: - Dead letters and alarms

    private static func hasDeadLetterPath(
        _ function: String, _ properties: TemplateValue?, _ resources: [String: TemplateValue]
    ) -> Bool {
        if properties?["DeadLetterConfig"]?["TargetArn"] != nil { return true }
        if mappedQueues(of: function, resources).contains(where: {
            resources[$0]?["Properties"]?["RedrivePolicy"]?["deadLetterTargetArn"] != nil
        }) {
            return true
        }
        return resources.values.contains { resource in
            resource["Type"]?.text == "AWS::Lambda::EventInvokeConfig"
                && referencedResource(resource["Properties"]?["FunctionName"]) == function
                && resource["Properties"]?["DestinationConfig"]?["OnFailure"]?["Destination"] != nil
        }
    }

    /// Every queue events go to when they fail: on-failure destinations, functions' and rule
    /// targets' dead-letter configs.
    private static func deadLetterQueues(_ resources: [String: TemplateValue]) -> Set<String> {
        var destinations: [TemplateValue?] = []
        for resource in resources.values {
            let properties = resource["Properties"]
            switch resource["Type"]?.text {
            case "AWS::Lambda::EventInvokeConfig":
                destinations.append(properties?["DestinationConfig"]?["OnFailure"]?["Destination"])
            case "AWS::Lambda::Function":
                destinations.append(properties?["DeadLetterConfig"]?["TargetArn"])
            case "AWS::Events::Rule":
                destinations += (properties?["Targets"]?.list ?? []).map { $0["DeadLetterConfig"]?["Arn"] }
            case "AWS::SQS::Queue":
                destinations.append(properties?["RedrivePolicy"]?["deadLetterTargetArn"])
            default:
                break
            }
        }
        return Set(
            destinations.compactMap(referencedResource).filter { resources[$0]?["Type"]?.text == "AWS::SQS::Queue" })
    }

    static func isWatched(
        _ logicalID: String, namespace: String, metric: String, dimension: String,
        _ resources: [String: TemplateValue]
    ) -> Bool {
        resources.values.contains { resource in
            let properties = resource["Properties"]
            return resource["Type"]?.text == "AWS::CloudWatch::Alarm" && properties?["Namespace"]?.text == namespace
                && properties?["MetricName"]?.text == metric
                && (properties?["Dimensions"]?.list ?? []).contains {
                    $0["Name"]?.text == dimension && referencedResource($0["Value"]) == logicalID
                }
        }
    }

    /// The logical id `!Ref X`, `!GetAtt X.Attribute` or `!Sub "${X}"` names.
    static func referencedResource(_ value: TemplateValue?) -> String? {
        guard let members = value?.map, members.count == 1 else { return nil }
        if let name = members["Ref"]?.text { return name }
        if let name = members["Fn::GetAtt"]?.list?.first?.text { return name }
        if let text = members["Fn::GetAtt"]?.text { return String(text.prefix { $0 != "." }) }
        if let text = members["Fn::Sub"]?.text, text.hasPrefix("${"), text.hasSuffix("}"),
            text.dropFirst(2).firstIndex(of: "$") == nil
        {
            return String(text.dropFirst(2).dropLast().prefix { $0 != "." })
        }
        return nil
    }
}
