/// A database problem, described without the connection's secrets.
public struct DatabaseError: Error, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String
        public var description: String { name }

        /// The configured URL cannot be used.
        public static let invalidURL = Code(name: "invalidURL")
        /// A migration failed or an applied one was changed.
        public static let migrationFailed = Code(name: "migrationFailed")
        /// A row the event refers to does not exist.
        public static let notFound = Code(name: "notFound")
        /// The server refused or failed a query.
        public static let queryFailed = Code(name: "queryFailed")
        /// The server could not be reached, closed the connection, or is not accepting
        /// connections (shutting down, starting up): the same call may work a little later.
        public static let unavailable = Code(name: "unavailable")
    }

    /// What kind of problem it is.
    public let code: Code
    /// What happened.
    public let message: String
    /// The error underneath, if any.
    public let underlying: (any Error)?

    /// Creates a database error.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }
}
