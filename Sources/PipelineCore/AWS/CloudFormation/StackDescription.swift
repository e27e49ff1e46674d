import Foundation

/// One stack as CloudFormation's `DescribeStacks` describes it: what the command-line tool needs
/// to find a deployed pipeline's queues and functions.
public struct StackDescription: Sendable, Equatable {
    /// The stack's name.
    public var name: String
    /// Its ARN.
    public var id: String
    /// Such as `CREATE_COMPLETE`, `UPDATE_ROLLBACK_COMPLETE`.
    public var status: String
    /// Its outputs by key (`OutputKey` → `OutputValue`).
    public var outputs: [String: String]
    /// Its parameters by key (`ParameterKey` → `ParameterValue`).
    public var parameters: [String: String] = [:]
    /// When it was last updated (empty if never).
    public var lastUpdatedTime = ""

    /// Creates a description.
    public init(name: String, id: String = "", status: String = "", outputs: [String: String] = [:]) {
        self.name = name
        self.id = id
        self.status = status
        self.outputs = outputs
    }

    /// The stacks in a `DescribeStacks` answer, in order:
    /// `DescribeStacksResponse/DescribeStacksResult/Stacks/member`, each with `StackName`,
    /// `StackId`, `StackStatus`, `LastUpdatedTime`, `Outputs/member` (`OutputKey`, `OutputValue`)
    /// and `Parameters/member` (`ParameterKey`, `ParameterValue`). The
    /// response shape is DescribeStacks' in the CloudFormation API Reference
    /// (docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html, read
    /// 2026-12-04); elements it does not name are ignored.
    /// - Returns: nil when the body is not XML or not a `DescribeStacksResponse`.
    public static func parseDescribeStacks(_ body: Data) -> [StackDescription]? {
        guard let document = XMLElements(body), document.elements.last?.name == "DescribeStacksResponse" else {
            return nil
        }
        let stackPath = ["DescribeStacksResponse", "DescribeStacksResult", "Stacks", "member"]
        let outputPath = stackPath + ["Outputs", "member"]
        var stacks: [StackDescription] = []
        var stack = StackDescription(name: "")
        var output: (key: String?, value: String) = (nil, "")
        var parameter: (key: String?, value: String) = (nil, "")
        let parameterPath = stackPath + ["Parameters", "member"]
        for element in document.elements {
            switch Array(element.path.dropLast()) {
            case outputPath where element.name == "OutputKey": output.key = element.text
            case outputPath where element.name == "OutputValue": output.value = element.text
            case stackPath + ["Outputs"] where element.name == "member":
                if let key = output.key { stack.outputs[key] = output.value }
                output = (nil, "")
            case parameterPath where element.name == "ParameterKey": parameter.key = element.text
            case parameterPath where element.name == "ParameterValue": parameter.value = element.text
            case stackPath + ["Parameters"] where element.name == "member":
                if let key = parameter.key { stack.parameters[key] = parameter.value }
                parameter = (nil, "")
            case stackPath where element.name == "LastUpdatedTime": stack.lastUpdatedTime = element.text
            case stackPath where element.name == "StackName": stack.name = element.text
            case stackPath where element.name == "StackId": stack.id = element.text
            case stackPath where element.name == "StackStatus": stack.status = element.text
            case Array(stackPath.dropLast()) where element.name == "member":
                stacks.append(stack)
                stack = StackDescription(name: "")
            default: break
            }
        }
        return stacks
    }
}
