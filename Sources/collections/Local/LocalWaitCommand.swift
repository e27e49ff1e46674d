import ArgumentParser
import Foundation
import LocalStack
import Logging
import PipelineCore
import PostgresNIO

/// `collections local wait`: a live progress line until a set of uploads is through the pipeline.
struct LocalWaitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Show progress until COUNT objects under a key prefix are embedded or dead-lettered.",
        discussion: "Exits 0 when all are embedded, 1 if some failed, 2 on timeout.")

    @OptionGroup var state: StateOptions
    @Option(help: "The key prefix of the uploads, such as demo/.") var prefix: String
    @Option(help: "How many objects were uploaded under it.") var count: Int
    @Option(help: "Give up after this many seconds.") var timeout = 600

    func run() async throws {
        JSONLogHandler.bootstrap(defaultLevel: .warning)
        let stack = try state.requireState()
        let database = try Database(url: stack.databaseURL, logger: Logger(label: "postgres"))
        let letters = DeadLetters(sqs: try stack.sqs(), state: stack)
        let start = ContinuousClock.now
        let terminal = isatty(STDOUT_FILENO) == 1
        var last = ""
        let outcome: Int32 = try await database.closing { database in
            while true {
                let (analysed, embedded) = try await progress(database)
                let failed = try await letters.list().filter { $0.subject.hasPrefix(prefix) }.count
                let elapsed = Double((ContinuousClock.now - start).milliseconds) / 1000
                let line = String(
                    format: "%@ analysed %d/%d · embedded %d/%d · failed %d · %.1f s", bar(embedded + failed),
                    analysed, count, embedded, count, failed, elapsed)
                if terminal {
                    FileHandle.standardOutput.write(Data(("\r" + line).utf8))
                } else if line.dropLast(8) != last.dropLast(8) {
                    print(line)
                }
                last = line
                if embedded + failed >= count {
                    if terminal { print("") }
                    return failed == 0 ? 0 : 1
                }
                if elapsed > Double(timeout) {
                    if terminal { print("") }
                    print(
                        "timed out after \(timeout) s: `collections local status` and `local logs` show where things are"
                    )
                    return 2
                }
                try await Task.sleep(for: .milliseconds(250))
            }
        }
        if outcome != 0 { throw ExitCode(outcome) }
    }

    private func bar(_ done: Int) -> String {
        let width = 24
        let filled = count == 0 ? width : min(width, done * width / count)
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
    }

    /// Items under the prefix with an analysis of their current version, and with a vector.
    private func progress(_ database: Database) async throws -> (Int, Int) {
        let pattern =
            prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        let rows = try await database.client.query(
            """
            SELECT count(DISTINCT a.item_id), count(DISTINCT e.item_id)
            FROM items i JOIN latest_analyses a ON a.item_id = i.item_id
            LEFT JOIN embeddings e ON e.analysis_id = a.analysis_id
            WHERE i.object_key LIKE \(pattern)
            """)
        for try await (analysed, embedded) in rows.decode((Int, Int).self) { return (analysed, embedded) }
        return (0, 0)
    }
}
