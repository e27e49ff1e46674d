import Foundation
import Logging
import PipelineCore
import PostgresNIO
import Testing

@testable import TestSupport

/// A database that is down fails each call within its connect timeout with an `unavailable`
/// error that names the server (never the password), and the same ``Database`` works again as
/// soon as the server is back. The outage is on a private server: the shared one is never stopped.
@Suite(.enabled(if: TestEnvironment.databaseEnabled, "needs scripts/postgres (scripts/test)"))
struct DatabaseOutageTests {
    @Test func aServerNobodyListensOnFailsWithinTheConnectTimeout() async throws {
        let port = try FreePort.find()
        let database = try Database(
            url: "postgres://collections:s3cr3t-pw@127.0.0.1:\(port)/x?connect_timeout=2", logger: Logger(label: "t"))
        let start = ContinuousClock.now
        let error = await #expect(throws: DatabaseError.self) {
            try await database.closing { try await Migrator(database: $0).migrate() }
        }
        let elapsed = ContinuousClock.now - start
        #expect(elapsed < .seconds(5), "failed after \(elapsed), not within connect_timeout=2 plus a probe")
        #expect(error?.code == .unavailable)
        let message = error?.message ?? ""
        #expect(message.hasPrefix("migrating failed: the database at 127.0.0.1:\(port) is unreachable"), "\(message)")
        #expect(!message.contains("s3cr3t"), "\(message)")
    }

    @Test func callsDuringAnOutageFailCleanlyAndTheNextOneAfterItWorks() async throws {
        try await PrivatePostgres.with { server in
            let database = try Database(url: try await server.url(), logger: Logger(label: "t"))
            try await database.closing { database in
                _ = try await Migrator(database: database).migrate()

                try await server.stop()
                for _ in 1...2 {
                    let start = ContinuousClock.now
                    let error = await #expect(throws: DatabaseError.self) {
                        try await Migrator(database: database).migrate()
                    }
                    let elapsed = ContinuousClock.now - start
                    print("outage: a call failed after \(elapsed): \(error?.message ?? "-")")
                    #expect(error?.code == .unavailable)
                    #expect(error?.message.contains("127.0.0.1:\(server.port)") == true, "\(error?.message ?? "")")
                    #expect(elapsed < database.connectionWait + .seconds(3), "took \(elapsed)")
                }

                try await server.start()
                let start = ContinuousClock.now
                #expect(try await Migrator(database: database).migrate().isEmpty)
                let elapsed = ContinuousClock.now - start
                print("outage: first call after the restart took \(elapsed)")
                #expect(elapsed < .seconds(2), "the pool took \(elapsed) to reconnect")
            }
        }
    }

    @Test func aCallWaitsForAServerThatComesBackWithinTheConnectTimeout() async throws {
        try await PrivatePostgres.with { server in
            let database = try Database(url: try await server.url(), logger: Logger(label: "t"))
            try await database.closing { database in
                _ = try await Migrator(database: database).migrate()
                try await server.stop()
                let restart = Task {
                    try await Task.sleep(for: .seconds(1))
                    try await server.start()
                }
                // The pool retries during the wait; the call succeeds without an error.
                #expect(try await Migrator(database: database).migrate().isEmpty)
                try await restart.value
            }
        }
    }
}
