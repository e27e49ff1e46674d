import Foundation
import LocalStack
import Logging
import PipelineCore
import PostgresNIO

@testable import TestSupport

/// A local stack of one test's own, on a private PostgreSQL (which the test may stop) and the
/// stack's own moto, driven as a user drives it: `collections local up`, `aws s3 cp`, `local down`.
struct OutageStack {
    let stateDirectory: URL
    let environment: [String: String]
    let stack: StackState
    let server: PrivatePostgres
    let database: Database

    /// Brings a stack up (one process per function), runs `body`, then takes it down.
    static func with(_ body: (OutageStack) async throws -> Void) async throws {
        try await PrivatePostgres.with { server in
            let stateDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "collections-outage-\(UUID().uuidString.prefix(8))")
            var environment = LocalStackCLI.environment(stateDirectory: stateDirectory)
            environment.merge(server.environment) { $1 }
            let up = try await Products.run(
                "collections", arguments: ["local", "up", "--processes", "1"], environment: environment,
                timeout: .seconds(120))
            defer {
                LocalStackCLI.down(environment: environment)
                try? FileManager.default.removeItem(at: stateDirectory)
            }
            guard up.status == 0, let stack = try StackState.load(from: stateDirectory) else {
                throw TestSetupError("local up failed: \(up.stdout)\n\(up.stderr)")
            }
            let database = try Database(url: stack.databaseURL, logger: Logger(label: "outage-test"))
            try await database.closing { database in
                try await body(
                    OutageStack(
                        stateDirectory: stateDirectory, environment: environment, stack: stack, server: server,
                        database: database))
            }
        }
    }

    /// Runs `collections ARGS` against this stack.
    func collections(_ arguments: [String]) async throws -> Products.Outcome {
        try await Products.run("collections", arguments: arguments, environment: environment, timeout: .seconds(60))
    }

    /// Uploads `photos` under `prefix/` with `aws s3 cp`; returns their keys.
    func upload(_ photos: [URL], under prefix: String) async throws -> [String] {
        var keys: [String] = []
        for photo in photos {
            let key = "\(prefix)/\(photo.lastPathComponent)"
            let copy = try await AWSCommand(stack: stack).run(["s3", "cp", photo.path, "s3://\(stack.bucket)/\(key)"])
            guard copy.status == 0 else { throw TestSetupError("aws s3 cp failed: \(copy.stderr)") }
            keys.append(key)
        }
        return keys
    }

    /// Analyses and embeddings per item under `prefix/`: every item should have exactly one of each.
    func rowsPerItem(under prefix: String) async throws -> [String: (analyses: Int, embeddings: Int)] {
        let rows = try await database.client.query(
            """
            SELECT i.object_key, (SELECT count(*) FROM analyses a WHERE a.item_id = i.item_id),
                   (SELECT count(*) FROM embeddings e WHERE e.item_id = i.item_id)
            FROM items i WHERE i.object_key LIKE \(prefix + "/%")
            """)
        var result: [String: (analyses: Int, embeddings: Int)] = [:]
        for try await (key, analyses, embeddings) in rows.decode((String, Int, Int).self) {
            result[key] = (analyses, embeddings)
        }
        return result
    }

    /// Log lines (JSON) from the stack's logs whose file name starts with `prefix`.
    func logLines(_ prefix: String) throws -> [[String: Any]] {
        let logs = stateDirectory.appendingPathComponent("logs")
        var lines: [[String: Any]] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: logs.path).sorted() where file.hasPrefix(prefix)
        {
            let text = try String(contentsOf: logs.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] {
                    lines.append(object)
                }
            }
        }
        return lines
    }

    /// Waits until no function queue holds a message for 3 s in a row.
    func waitUntilIdle(timeout: Duration) async throws {
        var idleSince: ContinuousClock.Instant?
        try await waitFor("the queues to drain", timeout: timeout) {
            guard try await queueDepths().pending == 0 else {
                idleSince = nil
                return false
            }
            let since = idleSince ?? .now
            idleSince = since
            return ContinuousClock.now - since >= .seconds(3)
        }
    }

    /// Messages waiting or in flight on the functions' queues, and on the dead-letter queues.
    func queueDepths() async throws -> (pending: Int, deadLetters: Int) {
        let sqs = try stack.sqs()
        let names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        var pending = 0
        var deadLetters = 0
        for function in stack.functions {
            let source = try await sqs.attributes(of: function.queueURL, names: names)
            let dead = try await sqs.attributes(of: function.deadLetterURL, names: names)
            pending += names.reduce(0) { $0 + (Int(source[$1] ?? "") ?? 0) }
            deadLetters += names.reduce(0) { $0 + (Int(dead[$1] ?? "") ?? 0) }
        }
        return (pending, deadLetters)
    }
}
