/// Why `collections deploy` or `destroy` stopped: a message that says what to do.
public struct DeployError: Error, CustomStringConvertible, Equatable {
    /// The message.
    public let description: String

    /// Creates an error.
    public init(_ description: String) {
        self.description = description
    }
}
