/// Reads each parameter once for the life of the process, however many invocations ask: the
/// first caller's read is shared by any that ask while it is in flight. Failures are not kept.
public actor CachedParameterStore: ParameterStore {
    private let store: any ParameterStore
    private var values: [String: Task<String, any Error>] = [:]

    /// Wraps a store.
    public init(_ store: any ParameterStore) {
        self.store = store
    }

    public func value(of name: String) async throws -> String {
        if let task = values[name] { return try await task.value }
        let store = self.store
        let task = Task { try await store.value(of: name) }
        values[name] = task
        do {
            return try await task.value
        } catch {
            values[name] = nil
            throw error
        }
    }
}
