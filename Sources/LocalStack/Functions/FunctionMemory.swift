import Foundation

/// The resident memory of one function host's processes, sampled from `/proc/PID/status`: the
/// live process's current resident set (`VmRSS`) and the highest resident set any process the
/// host ran has reached (`VmHWM`, kept across restarts). The runner writes one file per host
/// under `<state>/memory/`; `collections local status` and the load test read them.
public struct FunctionMemory: Codable, Sendable, Equatable {
    /// The function's name, such as `collections-local-analyzer`.
    public var function: String
    /// The host's log name, such as `Analyzer-1`.
    public var host: String
    /// The live process, if any.
    public var pid: Int32?
    /// Its resident set now, bytes (0 when no process runs).
    public var residentBytes: Int
    /// The highest resident set of any process this host ran, bytes.
    public var peakResidentBytes: Int
    /// When it was sampled.
    public var sampledAt: Date

    /// Creates a sample.
    public init(
        function: String, host: String, pid: Int32?, residentBytes: Int, peakResidentBytes: Int, sampledAt: Date
    ) {
        self.function = function
        self.host = host
        self.pid = pid
        self.residentBytes = residentBytes
        self.peakResidentBytes = peakResidentBytes
        self.sampledAt = sampledAt
    }

    /// Samples a process (nil: none runs), keeping the higher of its `VmHWM` and `previousPeak`.
    public init(sampling pid: Int32?, function: String, host: String, previousPeak: Int) {
        let reading = pid.flatMap { Self.read(pid: $0) }
        self.init(
            function: function, host: host, pid: pid, residentBytes: reading?.resident ?? 0,
            peakResidentBytes: max(previousPeak, reading?.peak ?? 0), sampledAt: Date())
    }

    /// `VmRSS` and `VmHWM` of a process, in bytes; nil when it has gone or the kernel shows neither.
    public static func read(pid: Int32) -> (resident: Int, peak: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        return parse(status: text)
    }

    /// `VmRSS` and `VmHWM` from the text of a `/proc/PID/status` file, in bytes.
    public static func parse(status text: String) -> (resident: Int, peak: Int)? {
        var fields: [String: Int] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") || line.hasPrefix("VmHWM:") {
            // "VmHWM:\t   12345 kB"
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count == 3, parts[2] == "kB", let kilobytes = Int(parts[1]) else { return nil }
            fields[String(parts[0].dropLast())] = kilobytes * 1024
        }
        guard let resident = fields["VmRSS"], let peak = fields["VmHWM"] else { return nil }
        return (resident, peak)
    }

    /// The folder of a state folder where the runner writes samples.
    public static func folder(in state: URL) -> URL { state.appendingPathComponent("memory") }

    /// Writes the sample as `<folder>/<host>.json`.
    public func save(in folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(self).write(to: folder.appendingPathComponent("\(host).json"), options: .atomic)
    }

    /// Every sample in a folder, by host name; empty when there is none.
    public static func load(from folder: URL) -> [FunctionMemory] {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.sorted().compactMap {
            guard let data = try? Data(contentsOf: folder.appendingPathComponent($0)) else { return nil }
            return try? decoder.decode(FunctionMemory.self, from: data)
        }
    }

    /// Per function: the sum of its hosts' current resident sets and the highest peak of any one
    /// process (each process is what Lambda's memory size bounds).
    public static func byFunction(_ samples: [FunctionMemory]) -> [String: (resident: Int, peak: Int)] {
        var totals: [String: (resident: Int, peak: Int)] = [:]
        for sample in samples {
            let total = totals[sample.function] ?? (0, 0)
            totals[sample.function] = (total.resident + sample.residentBytes, max(total.peak, sample.peakResidentBytes))
        }
        return totals
    }
}
