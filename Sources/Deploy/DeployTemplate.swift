import Foundation
import LocalStack

/// What `collections deploy` needs from `infrastructure/template.yaml`: its text, its parameters'
/// names and defaults, and its buckets' deletion policies.
public struct DeployTemplate: Sendable {
    /// The template's text, as sent to CloudFormation.
    public let body: String
    /// Parameter defaults by key (nil: the parameter has no default).
    public let parameters: [String: String?]
    /// The logical ids of its `AWS::S3::Bucket` resources with their `DeletionPolicy` (`Delete`
    /// when the template gives none: "the default policy is Delete", DeletionPolicy attribute,
    /// docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html,
    /// read 2026-12-04).
    public let bucketDeletionPolicies: [String: String]

    /// Reads a template file.
    /// - Throws: ``DeployError`` when it cannot be read or parsed.
    public init(file: URL) throws {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw DeployError("cannot read the template \(file.path)")
        }
        try self.init(body: String(decoding: data, as: UTF8.self))
    }

    /// Parses a template's text.
    public init(body: String) throws {
        let template: TemplateValue
        do {
            template = try TemplateValue.parse(yaml: body)
        } catch {
            throw DeployError("the template is not valid YAML: \(error)")
        }
        self.body = body
        var parameters: [String: String?] = [:]
        for (key, value) in template["Parameters"]?.map ?? [:] {
            parameters[key] = value["Default"]?.text
        }
        self.parameters = parameters
        var buckets: [String: String] = [:]
        for (key, value) in template["Resources"]?.map ?? [:] where value["Type"]?.text == "AWS::S3::Bucket" {
            buckets[key] = value["DeletionPolicy"]?.text ?? "Delete"
        }
        self.bucketDeletionPolicies = buckets
    }

    /// A parameter's value: given, else the template's default.
    public func value(_ key: String, given: [String: String]) -> String? {
        given[key] ?? parameters[key] ?? nil
    }

    /// Refuses keys the template does not declare.
    public func checkKeys(_ given: [String: String]) throws {
        let unknown = given.keys.filter { parameters[$0] == nil }.sorted()
        guard unknown.isEmpty else {
            throw DeployError(
                "the template has no parameter \(unknown.joined(separator: ", ")) "
                    + "(it has: \(parameters.keys.sorted().joined(separator: ", ")))")
        }
    }
}
