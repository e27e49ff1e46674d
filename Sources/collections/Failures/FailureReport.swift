import Foundation
import LocalStack
import Tables

/// How `failures` and `redrive` print, for the local stack and a deployed one alike.
enum FailureReport {
    /// The failures as a table, or one JSON object per line; `redriveCommand` is the command that
    /// sends them back.
    static func print(_ failures: [DeadLetters.Failure], json: Bool, redriveCommand: String) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for failure in failures { Swift.print(String(decoding: try encoder.encode(failure), as: UTF8.self)) }
            return
        }
        guard !failures.isEmpty else {
            Swift.print("no failures")
            return
        }
        var table = Table(headers: ["function", "event", "subject", "attempts", "error"])
        for failure in failures {
            table.add([failure.function, failure.detailType, failure.subject, "\(failure.attempts)", failure.error])
        }
        // Wide enough for the sentence about an event the queue's redrive policy moved.
        table.maxWidth = 130
        Swift.print(table.render())
        Swift.print("\n\(failures.count) failure(s); `\(redriveCommand)` sends them back to their functions.")
    }

    /// What a redrive moved: a line per function, then the total.
    static func print(_ moved: [DeadLetters.Moved]) {
        var table = Table(headers: ["function", "name", "sent back"])
        for entry in moved { table.add([entry.function.executable, entry.function.name, "\(entry.count)"]) }
        Swift.print(table.render())
        Swift.print("\nsent \(moved.map(\.count).reduce(0, +)) event(s) back")
    }
}
