import Foundation
import Logging
import PipelineCore
import PostgresNIO

/// A freshly created, migrated database for one test suite, dropped and recreated on each use.
public enum ScratchDatabase {
    /// Creates database `name` anew next to `COLLECTIONS_TEST_DATABASE_URL`, migrates it, and
    /// runs `body` with a pool on it.
    public static func with<T>(
        _ name: String, migrate: Bool = true, _ body: (Database) async throws -> T
    ) async throws -> T {
        guard let base = TestEnvironment.databaseURL else {
            throw TestSetupError("COLLECTIONS_TEST_DATABASE_URL is not set: run the tests with scripts/test")
        }
        let logger = Logger(label: "test-postgres")
        try await Database(url: base, logger: logger).closing { admin in
            try await admin.client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
            try await admin.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        }
        return try await Database(url: try url(name), logger: logger).closing { database in
            if migrate { try await Migrator(database: database).migrate() }
            return try await body(database)
        }
    }

    /// The URL of scratch database `name` (for a child process).
    public static func url(_ name: String) throws -> String {
        guard let base = TestEnvironment.databaseURL else {
            throw TestSetupError("COLLECTIONS_TEST_DATABASE_URL is not set: run the tests with scripts/test")
        }
        var components = URLComponents(string: base)!
        components.path = "/\(name)"
        return components.string!
    }

    /// Counts rows of a table.
    public static func count(_ table: String, in database: Database) async throws -> Int {
        let rows = try await database.client.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"))
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}

extension ScratchDatabase {
    /// Runs statements on one connection and returns the text of the last one's rows (for `EXPLAIN`).
    public static func explain(_ sql: String, in database: Database) async throws -> String {
        try await database.client.withConnection { connection in
            var lines: [String] = []
            let statements = sql.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                .filter { !$0.isEmpty }
            for (index, statement) in statements.enumerated() {
                let rows = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: database.logger)
                if index == statements.count - 1 {
                    for try await line in rows.decode(String.self) { lines.append(line) }
                }
            }
            return lines.joined(separator: "\n")
        }
    }
}
