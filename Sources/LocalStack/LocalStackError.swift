/// A local-stack failure with a sentence saying what went wrong.
public struct LocalStackError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String

    /// Creates an error.
    public init(_ description: String) {
        self.description = description
    }
}
