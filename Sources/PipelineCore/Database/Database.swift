import Logging
import PostgresNIO

/// A PostgreSQL connection pool, created once per process and shared by every invocation.
public final class Database: Sendable {
    /// The pool.
    public let client: PostgresClient
    /// Where query logs go.
    public let logger: Logger
    private let running: Task<Void, Never>

    /// Connects lazily to the database at `url`: nothing is sent until the first query.
    /// - Throws: ``DatabaseError`` when the URL cannot be used.
    public init(url: String, logger: Logger) throws {
        let configuration = try DatabaseURL.configuration(from: url)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        self.running = Task { await client.run() }
    }

    /// Closes every connection.
    public func shutdown() async {
        running.cancel()
        await running.value
    }

    /// Runs `body`, then closes every connection, whether `body` returned or threw.
    public func closing<T>(after body: (Database) async throws -> T) async throws -> T {
        do {
            let result = try await body(self)
            await shutdown()
            return result
        } catch {
            await shutdown()
            throw error
        }
    }

    /// Runs `body`, turning PostgreSQL failures into a ``DatabaseError`` that says what was being done.
    func attempt<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DatabaseError {
            throw error
        } catch let error as PSQLError {
            throw DatabaseError(.queryFailed, "\(what) failed: \(Self.explain(error))", underlying: error)
        } catch {
            throw DatabaseError(.queryFailed, "\(what) failed: \(error)", underlying: error)
        }
    }

    /// The server's message and SQLSTATE, or the connection problem, in one line.
    static func explain(_ error: PSQLError) -> String {
        if let info = error.serverInfo, let message = info[.message] {
            return "\(message) (SQLSTATE \(info[.sqlState] ?? "?"))"
        }
        if let cause = error.underlying {
            return "\(error.code): \(cause)"
        }
        return "\(error.code)"
    }
}
