import Crypto
import Foundation
import Logging
import PostgresNIO

/// Applies the numbered `.sql` files in `Database/Migrations` in order, once each.
///
/// Each migration runs in its own transaction and is recorded in `schema_migrations` with a
/// checksum; an advisory lock keeps two processes from migrating at once. Running it again
/// applies nothing, and a changed migration that was already applied is an error.
public struct Migrator: Sendable {
    /// A migration file.
    public struct Migration: Sendable, Equatable {
        /// The number the file name starts with.
        public var version: Int
        /// The file name without its number and extension.
        public var name: String
        /// The SQL.
        public var sql: String

        /// Creates a migration.
        public init(version: Int, name: String, sql: String) {
            self.version = version
            self.name = name
            self.sql = sql
        }

        /// A SHA-256 of the SQL.
        public var checksum: String {
            SHA256.hash(data: Array(sql.utf8)).hexString
        }
    }

    private let database: Database

    /// Creates a migrator for a database.
    public init(database: Database) {
        self.database = database
    }

    /// The migrations shipped with this build, in order.
    public static func bundled() throws -> [Migration] {
        guard let directory = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw DatabaseError(.migrationFailed, "the migrations folder is missing from the build")
        }
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        return try files.filter { $0.pathExtension == "sql" }.map { file in
            let stem = file.deletingPathExtension().lastPathComponent
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]) else {
                throw DatabaseError(.migrationFailed, "migration \(file.lastPathComponent) must be named NNNN_name.sql")
            }
            let sql = try String(contentsOf: file, encoding: .utf8)
            return Migration(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql)
        }.sorted { $0.version < $1.version }
    }

    /// Applies every migration not yet recorded.
    /// - Returns: the migrations applied by this call (empty when the schema was current).
    /// - Throws: ``DatabaseError`` naming the migration and the server's message.
    @discardableResult
    public func migrate(_ migrations: [Migration]? = nil) async throws -> [Migration] {
        let migrations = try migrations ?? Self.bundled()
        let logger = database.logger
        return try await database.attempt("migrating") {
            try await database.client.withConnection { connection in
                try await connection.query("SELECT pg_advisory_lock(7391001)", logger: logger)
                do {
                    let applied = try await apply(migrations, on: connection, logger: logger)
                    try await connection.query("SELECT pg_advisory_unlock(7391001)", logger: logger)
                    return applied
                } catch {
                    _ = try? await connection.query("SELECT pg_advisory_unlock(7391001)", logger: logger)
                    throw error
                }
            }
        }
    }

    private func apply(_ migrations: [Migration], on connection: PostgresConnection, logger: Logger) async throws
        -> [Migration]
    {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """, logger: logger)
        var recorded: [Int: String] = [:]
        for try await (version, checksum) in try await connection.query(
            "SELECT version, checksum FROM schema_migrations", logger: logger
        ).decode((Int, String).self) {
            recorded[version] = checksum
        }
        var applied: [Migration] = []
        for migration in migrations {
            if let checksum = recorded[migration.version] {
                guard checksum == migration.checksum else {
                    throw DatabaseError(
                        .migrationFailed,
                        "migration \(migration.version)_\(migration.name) was changed after it was applied; "
                            + "add a new migration instead")
                }
                continue
            }
            try await connection.withTransaction(logger: logger) { connection in
                for statement in SQLScript.statements(migration.sql) {
                    do {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    } catch let error as PSQLError {
                        throw DatabaseError(
                            .migrationFailed,
                            "migration \(migration.version)_\(migration.name) failed: \(Database.explain(error))",
                            underlying: error)
                    }
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES (\(migration.version), \(migration.name), \(migration.checksum))",
                    logger: logger)
            }
            applied.append(migration)
        }
        return applied
    }
}
