/// The ``ParameterStore`` on AWS Systems Manager: `GetParameter` with decryption.
/// Wrap it in ``CachedParameterStore`` so each parameter is read once per process.
public struct SSMClient: ParameterStore {
    /// The signed transport.
    public let client: AWSClient
    /// Where requests go.
    public let endpoint: AWSEndpoint

    /// Creates a client.
    public init(client: AWSClient, endpoint: AWSEndpoint) {
        self.client = client
        self.endpoint = endpoint
    }

    public func value(of name: String) async throws -> String {
        do {
            let output = try await client.callJSON(
                "AmazonSSM.GetParameter", input: Input(name: name, withDecryption: true), as: Output.self,
                service: .ssm, endpoint: endpoint)
            return output.parameter.value
        } catch let error as AWSError where error.code == "ParameterNotFound" {
            throw ParameterStoreError.notFound(name, underlying: error)
        } catch {
            throw ParameterStoreError(.failed, "cannot read parameter \(quoted(name))", underlying: error)
        }
    }

    struct Input: Encodable {
        var name: String
        var withDecryption: Bool
        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case withDecryption = "WithDecryption"
        }
    }

    struct Output: Decodable {
        var parameter: Parameter
        struct Parameter: Decodable {
            var value: String
            enum CodingKeys: String, CodingKey { case value = "Value" }
        }
        enum CodingKeys: String, CodingKey { case parameter = "Parameter" }
    }
}
