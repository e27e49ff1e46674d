import Foundation
import Logging

/// Runs a handler on an event from a file, like `sam local invoke`: the response JSON goes to
/// standard output and the process exits 0; on failure the error JSON `{"errorType",
/// "errorMessage"}` goes to standard output and the process exits 1.
///
/// The file holds one event as the function receives it, or a JSON array of PutEvents entries
/// (the file `aws events put-events --entries file://...` takes): each entry is wrapped as
/// EventBridge delivers it and handled in turn, and the responses are printed as an array.
public enum LocalInvocation {
    /// Reads `--event FILE` (or `-` for standard input) from the arguments and runs the handler.
    public static func main<Output: Encodable>(
        function: String, arguments: [String] = CommandLine.arguments, logger: Logger,
        setUp: () async throws -> @Sendable (Data, LambdaContext) async throws -> Output
    ) async -> Never {
        guard let flag = arguments.firstIndex(of: "--event"), flag + 1 < arguments.count else {
            let usage = """
                usage: \(function) --event FILE   (FILE may be - for standard input)
                With AWS_LAMBDA_RUNTIME_API set, \(function) serves the Lambda Runtime API instead.

                """
            FileHandle.standardError.write(Data(usage.utf8))
            exit(2)
        }
        let path = arguments[flag + 1]
        do {
            let data =
                try path == "-"
                ? FileHandle.standardInput.readToEnd() ?? Data() : Data(contentsOf: URL(fileURLWithPath: path))
            let events = try self.events(in: data)
            let handler = try await setUp()
            var outputs: [Output] = []
            for event in events {
                let context = LambdaContext.local(function: function, logger: logger)
                outputs.append(
                    try await InvocationDeadline.$current.withValue(context.deadline) {
                        try await handler(event, context)
                    })
            }
            let json =
                try outputs.count == 1 && !isArray(data)
                ? PipelineJSON.encoder.encode(outputs[0]) : PipelineJSON.encoder.encode(outputs)
            print(String(decoding: json, as: UTF8.self))
            exit(0)
        } catch {
            print(String(decoding: LambdaErrorBody(error).json, as: UTF8.self))
            exit(1)
        }
    }

    /// The events a file holds: itself, or each PutEvents entry of an array wrapped as delivered.
    /// - Throws: ``EventError`` when an array is not a list of PutEvents entries, or when an event
    ///   is over ``EventSizeLimit``, as the Runtime API loop refuses it.
    public static func events(in data: Data, now: Date = Date()) throws -> [Data] {
        guard isArray(data) else {
            try EventSizeLimit.check(size: data.count)
            return [data]
        }
        let entries = try EventDecoding.decode([EventEntry].self, from: data, what: "PutEvents entries")
        guard !entries.isEmpty else { throw EventError(.invalidField, "the PutEvents entries list is empty") }
        for (index, entry) in entries.enumerated() {
            guard (try? JSONSerialization.jsonObject(with: Data(entry.detail.utf8))) is [String: Any] else {
                throw EventError(.invalidField, "entry \(index): Detail is not a JSON object in a string")
            }
        }
        let events = entries.map { $0.delivered(id: UUID().uuidString.lowercased(), time: now) }
        for event in events { try EventSizeLimit.check(size: event.count) }
        return events
    }

    private static func isArray(_ data: Data) -> Bool {
        data.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) == UInt8(ascii: "[")
    }
}
