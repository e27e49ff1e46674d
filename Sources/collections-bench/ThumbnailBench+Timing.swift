import Foundation

/// Timing and output helpers shared by the imaging subcommands (`thumbnail`, `invocation`).
enum ImagingBench {
    /// Runs `body` once and returns how long it took on the monotonic clock, in milliseconds, with its result.
    static func timeSync<T>(_ body: () throws -> T) rethrows -> (Double, T) {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try body()
        return (milliseconds(clock.now - start), result)
    }

    /// Runs `body` once and returns how long it took on the monotonic clock, in milliseconds, with its result.
    static func time<T>(_ body: () async throws -> T) async rethrows -> (Double, T) {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await body()
        return (milliseconds(clock.now - start), result)
    }

    /// A duration in milliseconds, as a fraction.
    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    /// `value` as one line of JSON with snake_case, sorted keys: what the Python sections read.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
