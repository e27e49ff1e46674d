import Foundation
import Logging

/// Runs one invocation of a handler on an event read from a file, like `sam local invoke`:
/// the response JSON goes to standard output and the process exits 0; on failure the error JSON
/// `{"errorType", "errorMessage"}` goes to standard output and the process exits 1.
public enum LocalInvocation {
    /// Reads `--event FILE` (or `-` for standard input) from the arguments and runs `handler` once.
    /// - Parameters:
    ///   - function: the function's name, for usage text and logs.
    ///   - arguments: the process arguments.
    ///   - handler: the invocation; its result is printed as JSON.
    public static func main<Output: Encodable>(
        function: String, arguments: [String] = CommandLine.arguments,
        _ handler: (Data, Logger) async throws -> Output
    ) async -> Never {
        JSONLogHandler.bootstrap()
        let logger = Logger(label: function)
        guard let flag = arguments.firstIndex(of: "--event"), flag + 1 < arguments.count else {
            let usage = "usage: \(function) --event FILE   (FILE may be - for standard input)\n"
            FileHandle.standardError.write(Data(usage.utf8))
            exit(2)
        }
        let path = arguments[flag + 1]
        do {
            let event =
                try path == "-"
                ? FileHandle.standardInput.readToEnd() ?? Data() : Data(contentsOf: URL(fileURLWithPath: path))
            let output = try await handler(event, logger)
            print(String(decoding: try PipelineJSON.encoder.encode(output), as: UTF8.self))
            exit(0)
        } catch {
            print(errorJSON(error))
            exit(1)
        }
    }

    /// The Lambda error body for an error: its type name and its description.
    public static func errorJSON(_ error: any Error) -> String {
        let body = ["errorType": String(describing: type(of: error)), "errorMessage": "\(error)"]
        return String(decoding: (try? PipelineJSON.encoder.encode(body)) ?? Data(), as: UTF8.self)
    }
}
