import Foundation
import Logging
import Synchronization

/// A swift-log handler that writes one JSON object per line to standard error, as CloudWatch
/// Logs and `jq` like them: `{"time", "level", "logger", "message", ...metadata}`.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String

    /// Creates a handler.
    public init(label: String, level: Logger.Level = .info) {
        self.label = label
        self.logLevel = level
    }

    /// Makes every `Logger` in the process log JSON lines at the level in `LOG_LEVEL`.
    /// - Parameter defaultLevel: the level when `LOG_LEVEL` is unset or unknown.
    public static func bootstrap(defaultLevel: Logger.Level = .info) {
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) }
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level ?? defaultLevel) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: String] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            fields[key] = "\(value)"
        }
        fields["time"] = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
        fields["level"] = event.level.rawValue
        fields["logger"] = label
        fields["message"] = "\(event.message)"
        guard var line = try? PipelineJSON.encoder.encode(fields) else { return }
        line.append(UInt8(ascii: "\n"))
        Self.write(line: line)
    }

    /// Writes one whole line to standard error, never interleaved with another line of the
    /// process: how EMF metric lines share the log.
    @Sendable public static func write(line: Data) {
        output.withLock { _ in FileHandle.standardError.write(line) }
    }

    private static let output = Mutex(())
}
