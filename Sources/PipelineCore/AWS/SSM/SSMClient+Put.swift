import Foundation

/// Writing parameters, for `collections deploy`.
extension SSMClient {
    /// Stores a parameter (PutParameter with `Overwrite: true`): a `SecureString` is encrypted
    /// with the account's default key (`aws/ssm`) when no `KeyId` is given. "Overwrite: Overwrite an
    /// existing parameter. The default value is false"; the answer holds the new `Version`
    /// (API_PutParameter.html, AWS Systems Manager API Reference, read 2026-12-04). The value is
    /// never logged or put in an error.
    /// - Throws: ``ParameterStoreError`` naming the parameter (not the value).
    public func put(_ name: String, value: String, secure: Bool = true) async throws {
        do {
            _ = try await client.callJSON(
                "AmazonSSM.PutParameter",
                input: PutInput(name: name, value: value, type: secure ? "SecureString" : "String", overwrite: true),
                as: PutOutput.self, service: .ssm, endpoint: endpoint)
        } catch {
            throw ParameterStoreError(.failed, "cannot write parameter \(quoted(name))", underlying: error)
        }
    }

    /// Whether a parameter exists, read without decrypting it (GetParameter with
    /// `WithDecryption: false`; `ParameterNotFound` when it does not, API_GetParameter.html, read
    /// 2026-12-04).
    public func exists(_ name: String) async throws -> Bool {
        do {
            _ = try await client.callJSON(
                "AmazonSSM.GetParameter", input: Input(name: name, withDecryption: false), as: Output.self,
                service: .ssm, endpoint: endpoint)
            return true
        } catch let error as AWSError where error.code == "ParameterNotFound" {
            return false
        }
    }

    struct PutInput: Encodable {
        var name: String
        var value: String
        var type: String
        var overwrite: Bool
        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case value = "Value"
            case type = "Type"
            case overwrite = "Overwrite"
        }
    }

    struct PutOutput: Decodable {
        var version: Int?
        enum CodingKeys: String, CodingKey { case version = "Version" }
    }
}
