/// A packaging failure, with a sentence saying what went wrong.
public struct PackagingError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String

    /// Creates one.
    public init(_ description: String) {
        self.description = description
    }
}
