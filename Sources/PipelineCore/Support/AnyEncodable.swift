/// Any encodable value, so that a JSON-protocol input can be a dictionary of mixed values.
public struct AnyEncodable: Encodable, Sendable {
    private let encodeValue: @Sendable (any Encoder) throws -> Void

    /// Wraps a value.
    public init<Value: Encodable & Sendable>(_ value: Value) {
        encodeValue = { try value.encode(to: $0) }
    }

    public func encode(to encoder: any Encoder) throws {
        try encodeValue(encoder)
    }
}
