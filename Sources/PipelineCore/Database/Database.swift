import Logging
import PostgresNIO
import Synchronization
import _ConnectionPoolModule

/// A PostgreSQL connection pool, created once per process and shared by every invocation.
///
/// Every call made through it waits at most the URL's `connect_timeout` (5 s by default) for a
/// connection. postgres-nio's pool alone would hold a query for up to a minute while it retries
/// an unreachable server (its circuit breaker trips after 60 s, which cannot be configured), so a
/// function would hang to its timeout. When no connection comes in time, one connection is opened
/// outside the pool to learn why, the call fails with a ``DatabaseError`` of code `unavailable`
/// naming the server (`host:port`, never the password), and the pool is replaced by a fresh
/// one, so the next call connects at once when the server is back instead of waiting out the
/// old pool's growing backoff.
public final class Database: Sendable {
    /// The pool.
    public var client: PostgresClient { pools.withLock { $0.current.client } }
    /// Where query logs go.
    public let logger: Logger
    /// The server, as `host:port`, for messages.
    public let address: String
    /// How long a call waits for a connection before the server is probed.
    public let connectionWait: Duration

    private let configuration: PostgresClient.Configuration
    private let probeConfiguration: PostgresConnection.Configuration
    private let pools: Mutex<Pools>

    private struct Running: Sendable {
        var client: PostgresClient
        var task: Task<Void, Never>
    }

    private struct Pools: Sendable {
        var current: Running
        /// Replaced pools, still shutting down.
        var retired: [Task<Void, Never>] = []
    }

    /// Connects lazily to the database at `url`: nothing is sent until the first query.
    /// - Throws: ``DatabaseError`` when the URL cannot be used.
    public init(url: String, logger: Logger) throws {
        let configuration = try DatabaseURL.configuration(from: url)
        self.configuration = configuration
        self.probeConfiguration = try DatabaseURL.connectionConfiguration(from: url)
        self.logger = logger
        self.address = "\(configuration.host ?? "?"):\(configuration.port ?? 5432)"
        self.connectionWait = configuration.options.connectTimeout
        self.pools = Mutex(Pools(current: Self.start(configuration, logger: logger)))
    }

    private static func start(_ configuration: PostgresClient.Configuration, logger: Logger) -> Running {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return Running(client: client, task: Task { await client.run() })
    }

    /// Closes every connection.
    public func shutdown() async {
        let tasks = pools.withLock { [$0.current.task] + $0.retired }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
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

    /// Runs `body` once the pool has a connection, turning PostgreSQL failures into a
    /// ``DatabaseError`` that says what was being done.
    func attempt<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        do {
            try await awaitConnection()
        } catch let error as DatabaseError {
            throw DatabaseError(error.code, "\(what) failed: \(error.message)", underlying: error.underlying)
        }
        do {
            return try await body()
        } catch let error as DatabaseError {
            throw error
        } catch let error as PSQLError {
            if let reason = unavailability(error) {
                throw DatabaseError(.unavailable, "\(what) failed: \(reason)", underlying: error)
            }
            throw DatabaseError(.queryFailed, "\(what) failed: \(Self.explain(error))", underlying: error)
        } catch let error as ConnectionPoolError {
            // postgres-nio's pool gave up (its circuit breaker) or was closed.
            throw DatabaseError(
                .unavailable, "\(what) failed: the database at \(address) is unavailable (\(error))", underlying: error)
        } catch {
            throw DatabaseError(.queryFailed, "\(what) failed: \(error)", underlying: error)
        }
    }

    /// Returns once the pool can lend a connection, within ``connectionWait``.
    /// - Throws: ``DatabaseError`` `unavailable` when it cannot, with the reason a direct
    ///   connection attempt gives.
    func awaitConnection() async throws {
        let client = self.client
        let wait = connectionWait
        let outcome = await withTaskGroup(of: Lease.self) { group in
            group.addTask {
                do {
                    try await client.withConnection { _ in }
                    return .leased
                } catch {
                    return .failed(error)
                }
            }
            group.addTask {
                try? await Task.sleep(for: wait)
                return .timedOut
            }
            let first = await group.next() ?? .timedOut
            group.cancelAll()
            return first
        }
        try Task.checkCancellation()
        if case .leased = outcome { return }
        // The pool has no connection for us: ask the server directly why.
        let reason = await probe()
        replace(client)
        if let reason {
            logger.warning("database unavailable", metadata: ["server": "\(address)", "reason": "\(reason)"])
            throw DatabaseError(.unavailable, reason, underlying: outcome.error)
        }
        // The server answers now; the fresh pool connects at once.
        logger.info("database reachable again; using a fresh pool", metadata: ["server": "\(address)"])
    }

    private enum Lease: Sendable {
        case leased
        case failed(any Error)
        case timedOut

        var error: (any Error)? {
            if case .failed(let error) = self { return error }
            return nil
        }
    }

    /// Opens one connection outside the pool; nil when that works, else why it does not.
    private func probe() async -> String? {
        do {
            let connection = try await PostgresConnection.connect(
                on: PostgresClient.defaultEventLoopGroup.any(), configuration: probeConfiguration, id: 0,
                logger: logger
            ).get()
            try? await connection.close()
            return nil
        } catch let error as PSQLError {
            return unavailability(error)
                ?? "the database at \(address) refuses connections: \(Self.explain(error))"
        } catch {
            return "the database at \(address) is unreachable: \(error)"
        }
    }

    /// Replaces `client`, if it is still the current pool, with a fresh one.
    private func replace(_ client: PostgresClient) {
        let configuration = configuration
        let logger = logger
        pools.withLock { pools in
            guard pools.current.client === client else { return }
            pools.current.task.cancel()
            pools.retired.append(pools.current.task)
            pools.current = Self.start(configuration, logger: logger)
        }
    }

    /// The sentence for a failure that says the server is down, going down or starting, or
    /// cannot be reached; nil for any other failure.
    func unavailability(_ error: PSQLError) -> String? {
        if let info = error.serverInfo, let state = info[.sqlState] {
            // 57P01-57P03: shutting down, crash recovery, starting up; class 08: connection exceptions.
            guard state.hasPrefix("57P") || state.hasPrefix("08") else { return nil }
            return "the database at \(address) is not available: \(Self.explain(error))"
        }
        switch error.code {
        case .connectionError:
            let cause = error.underlying.map { "\($0)" } ?? "cannot connect"
            return "the database at \(address) is unreachable: \(cause)"
        case .serverClosedConnection, .uncleanShutdown:
            return "the database at \(address) closed the connection (\(error.code))"
        case .poolClosed:
            return "the connection pool for the database at \(address) was closed"
        default:
            return nil
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
