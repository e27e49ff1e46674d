/// One attempt of an outbound call took longer than its limit and was cancelled.
public struct AttemptTimedOut: Error, CustomStringConvertible {
    /// The limit the attempt had.
    public let limit: Duration

    /// Creates the error.
    public init(limit: Duration) {
        self.limit = limit
    }

    public var description: String { "no answer within \(limit.milliseconds) ms" }

    /// Runs `body`, cancelling it and throwing ``AttemptTimedOut`` once `limit` has passed.
    ///
    /// The body must honour cancellation (AsyncHTTPClient's requests do): the call returns when it
    /// has ended.
    public static func run<T: Sendable>(
        within limit: Duration, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw AttemptTimedOut(limit: limit)
            }
            return value
        }
    }
}
