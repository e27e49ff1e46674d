import Foundation
import Logging
import PipelineCore
import PostgresNIO

extension ScratchDatabase {
    /// Like ``with(_:migrate:_:)`` on a database named `prefix_<pid>`, dropped afterwards: two
    /// test runs at once (two engineers, one tree) never share or drop each other's database.
    /// - Parameter body: gets the pool and the database's name.
    public static func withTemporary<T>(
        _ prefix: String, _ body: (Database, String) async throws -> T
    ) async throws -> T {
        let name = "\(prefix)_\(getpid())"
        let result: T
        do {
            result = try await with(name) { try await body($0, name) }
        } catch {
            try? await drop(name)
            throw error
        }
        try await drop(name)
        return result
    }

    private static func drop(_ name: String) async throws {
        guard let base = TestEnvironment.databaseURL else { return }
        try await Database(url: base, logger: Logger(label: "test-postgres")).closing { admin in
            try await admin.client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        }
    }
}
