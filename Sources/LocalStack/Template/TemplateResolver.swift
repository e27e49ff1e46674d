import Foundation

/// Evaluates a template's intrinsic functions for one local deployment: `Ref`, `Fn::GetAtt`,
/// `Fn::Sub`, `Fn::Join`, `Fn::Split`, `Fn::Select`, `Fn::If`, `Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or`, `Condition`
/// and the pseudo parameters. Resources get the physical names ``names`` gives them.
public struct TemplateResolver: Sendable {
    /// Physical names and ARNs of the template's resources.
    public struct Names: Sendable {
        /// The stack name (`AWS::StackName`).
        public var stackName: String
        /// `AWS::Region`.
        public var region: String
        /// `AWS::AccountId`.
        public var accountID: String

        /// Creates the naming for a stack.
        public init(stackName: String, region: String, accountID: String = "123456789012") {
            self.stackName = stackName
            self.region = region
            self.accountID = accountID
        }
    }

    let resources: [String: TemplateValue]
    let conditions: [String: TemplateValue]
    let parameters: [String: TemplateValue]
    /// The naming.
    public let names: Names

    /// Creates a resolver.
    /// - Parameter parameterValues: values for the template's parameters; the others take their defaults.
    /// - Throws: ``TemplateError`` naming a parameter with neither a value nor a default.
    public init(template: TemplateValue, parameterValues: [String: String], names: Names) throws {
        self.names = names
        resources = template["Resources"]?.map ?? [:]
        conditions = template["Conditions"]?.map ?? [:]
        var parameters: [String: TemplateValue] = [:]
        for (name, declaration) in template["Parameters"]?.map ?? [:] {
            if let value = parameterValues[name] {
                parameters[name] =
                    declaration["Type"]?.text == "CommaDelimitedList"
                    ? .list(value.isEmpty ? [] : value.split(separator: ",").map { .string(String($0)) })
                    : .string(value)
            } else if let value = declaration["Default"] {
                if declaration["Type"]?.text == "CommaDelimitedList", let text = value.text {
                    parameters[name] = .list(text.isEmpty ? [] : text.split(separator: ",").map { .string(String($0)) })
                } else {
                    parameters[name] = value
                }
            } else {
                throw TemplateError("parameter \(name) has no default: give it a value")
            }
        }
        self.parameters = parameters
    }

    /// A resource's declaration.
    public func resource(_ logicalID: String) -> TemplateValue? { resources[logicalID] }

    /// The logical ids of resources of a type, sorted.
    public func resources(ofType type: String) -> [String] {
        resources.filter { $0.value["Type"]?.text == type }.map(\.key).sorted()
    }

    /// A resource property, resolved; nil when absent (or `AWS::NoValue`).
    public func property(_ logicalID: String, _ name: String) throws -> TemplateValue? {
        guard let value = resources[logicalID]?["Properties"]?[name] else { return nil }
        return try resolve(value)
    }

    /// Evaluates every intrinsic function in a value; nil for `AWS::NoValue`.
    public func resolve(_ value: TemplateValue) throws -> TemplateValue? {
        switch value {
        case .list(let values):
            return .list(try values.compactMap { try resolve($0) })
        case .map(let members):
            if members.count == 1, let (name, argument) = members.first, name == "Ref" || name.hasPrefix("Fn::") {
                return try function(name, argument)
            }
            if members.count == 1, let argument = members["Condition"], let name = argument.text {
                return .bool(try condition(name))
            }
            var resolved: [String: TemplateValue] = [:]
            for (key, member) in members {
                if let value = try resolve(member) { resolved[key] = value }
            }
            return .map(resolved)
        default:
            return value
        }
    }

    private func function(_ name: String, _ argument: TemplateValue) throws -> TemplateValue? {
        switch name {
        case "Ref":
            guard let target = argument.text else { throw TemplateError("Ref takes a name") }
            return try reference(target)
        case "Fn::GetAtt":
            guard let parts = argument.list?.compactMap(\.text), parts.count == 2 else {
                throw TemplateError("Fn::GetAtt takes [Resource, Attribute]")
            }
            return .string(try attribute(parts[0], parts[1]))
        case "Fn::Sub":
            return .string(try substitute(argument))
        case "Fn::Join":
            guard let parts = argument.list, parts.count == 2, let separator = parts[0].text,
                let values = try resolve(parts[1])?.list
            else { throw TemplateError("Fn::Join takes [separator, [values]]") }
            return .string(
                try values.map { try required($0.text, "Fn::Join values must be strings") }
                    .joined(separator: separator))
        case "Fn::If":
            guard let parts = argument.list, parts.count == 3, let name = parts[0].text else {
                throw TemplateError("Fn::If takes [condition, then, else]")
            }
            return try resolve(try condition(name) ? parts[1] : parts[2])
        case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or":
            return .bool(try evaluate(.map([name: argument])))
        case "Fn::Split":
            guard let parts = argument.list, parts.count == 2, let separator = parts[0].text,
                let text = try resolve(parts[1])?.text
            else { throw TemplateError("Fn::Split takes [separator, string]") }
            return .list(text.components(separatedBy: separator).map { .string($0) })
        case "Fn::Select":
            guard let parts = argument.list, parts.count == 2,
                let index = parts[0].text.flatMap(Int.init),
                let values = try resolve(parts[1])?.list, values.indices.contains(index)
            else { throw TemplateError("Fn::Select takes [index, [values]] with the index in range") }
            return values[index]
        default:
            throw TemplateError("\(name) is not supported by the local stack")
        }
    }

    private func required<T>(_ value: T?, _ message: String) throws -> T {
        guard let value else { throw TemplateError(message) }
        return value
    }

    func condition(_ name: String) throws -> Bool {
        guard let expression = conditions[name] else { throw TemplateError("no condition named \(name)") }
        return try evaluate(expression)
    }

    private func evaluate(_ expression: TemplateValue) throws -> Bool {
        guard let members = expression.map, members.count == 1, let (name, argument) = members.first else {
            throw TemplateError("a condition must be one Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition")
        }
        let operands = argument.list ?? []
        switch name {
        case "Fn::Equals":
            guard operands.count == 2 else { throw TemplateError("Fn::Equals takes two values") }
            let (left, right) = (try resolve(operands[0]), try resolve(operands[1]))
            // CloudFormation passes parameters as strings: a Number parameter's 0 equals "0".
            if let left = left?.text, let right = right?.text { return left == right }
            return left == right
        case "Fn::Not":
            guard operands.count == 1 else { throw TemplateError("Fn::Not takes one condition") }
            return try !evaluate(operands[0])
        case "Fn::And": return try operands.allSatisfy(evaluate)
        case "Fn::Or": return try operands.contains(where: evaluate)
        case "Condition":
            return try condition(try required(argument.text, "Condition takes a name"))
        default: throw TemplateError("\(name) is not a condition function")
        }
    }

    /// `Ref` to a pseudo parameter, a parameter or a resource.
    func reference(_ target: String) throws -> TemplateValue? {
        switch target {
        case "AWS::NoValue": return nil
        case "AWS::StackName": return .string(names.stackName)
        case "AWS::Region": return .string(names.region)
        case "AWS::AccountId": return .string(names.accountID)
        case "AWS::Partition": return .string("aws")
        case "AWS::URLSuffix": return .string("amazonaws.com")
        default: break
        }
        if let value = parameters[target] { return value }
        guard let type = resources[target]?["Type"]?.text else {
            throw TemplateError("Ref \(target): no such parameter or resource")
        }
        if type == "AWS::SQS::Queue" {
            // The form CloudFormation returns, which SQS accepts at any endpoint (it routes by the path).
            return .string(
                "https://sqs.\(names.region).amazonaws.com/\(names.accountID)/\(try physicalName(target))")
        }
        return .string(try physicalName(target))
    }

    /// A resource's name: its name property, or `<stack>-<LogicalId>`.
    public func physicalName(_ logicalID: String) throws -> String {
        let nameProperty = [
            "AWS::S3::Bucket": "BucketName", "AWS::Events::EventBus": "Name", "AWS::Events::Rule": "Name",
            "AWS::SQS::Queue": "QueueName", "AWS::Lambda::Function": "FunctionName",
            "AWS::Logs::LogGroup": "LogGroupName", "AWS::IAM::Role": "RoleName",
        ]
        if let type = resources[logicalID]?["Type"]?.text, let property = nameProperty[type],
            let name = try self.property(logicalID, property)?.text
        {
            return name
        }
        return "\(names.stackName)-\(logicalID)"
    }

    /// `Fn::GetAtt` for the attributes the pipeline's resources use.
    func attribute(_ logicalID: String, _ attribute: String) throws -> String {
        guard let type = resources[logicalID]?["Type"]?.text else {
            throw TemplateError("Fn::GetAtt \(logicalID).\(attribute): no such resource")
        }
        let name = try physicalName(logicalID)
        let (region, account) = (names.region, names.accountID)
        switch (type, attribute) {
        case (_, "Name"), ("AWS::SQS::Queue", "QueueName"): return name
        case ("AWS::S3::Bucket", "Arn"): return "arn:aws:s3:::\(name)"
        case ("AWS::Events::EventBus", "Arn"): return "arn:aws:events:\(region):\(account):event-bus/\(name)"
        case ("AWS::Events::Rule", "Arn"): return "arn:aws:events:\(region):\(account):rule/\(name)"
        case ("AWS::SQS::Queue", "Arn"): return "arn:aws:sqs:\(region):\(account):\(name)"
        case ("AWS::Lambda::Function", "Arn"): return "arn:aws:lambda:\(region):\(account):function:\(name)"
        case ("AWS::Logs::LogGroup", "Arn"): return "arn:aws:logs:\(region):\(account):log-group:\(name):*"
        case ("AWS::IAM::Role", "Arn"): return "arn:aws:iam::\(account):role/\(name)"
        default: throw TemplateError("Fn::GetAtt \(logicalID).\(attribute) is not supported by the local stack")
        }
    }

    /// `Fn::Sub` with `${Name}`, `${Resource.Attribute}` and `${!Literal}`.
    func substitute(_ argument: TemplateValue) throws -> String {
        var format: String
        var variables: [String: String] = [:]
        if let text = argument.text {
            format = text
        } else if let parts = argument.list, parts.count == 2, let text = parts[0].text {
            format = text
            for (name, value) in parts[1].map ?? [:] {
                variables[name] = try resolve(value)?.text
            }
        } else {
            throw TemplateError("Fn::Sub takes a string or [string, {variables}]")
        }
        var output = ""
        while let start = format.range(of: "${") {
            output += format[..<start.lowerBound]
            guard let end = format[start.upperBound...].firstIndex(of: "}") else {
                throw TemplateError("Fn::Sub: unclosed ${ in \(format)")
            }
            let name = String(format[start.upperBound..<end])
            if name.hasPrefix("!") {
                output += "${\(name.dropFirst())}"
            } else if let value = variables[name] {
                output += value
            } else if let dot = name.firstIndex(of: "."), !name.hasPrefix("AWS::") {
                output += try attribute(String(name[..<dot]), String(name[name.index(after: dot)...]))
            } else {
                guard let value = try reference(name)?.text else {
                    throw TemplateError("Fn::Sub: ${\(name)} is not a string")
                }
                output += value
            }
            format = String(format[format.index(after: end)...])
        }
        return output + format
    }
}
