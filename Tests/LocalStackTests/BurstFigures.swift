import Foundation

/// What the runner's invocation reports say about a burst: how many invocations of a function ran
/// at once at most, and how long its invocations kept its processes busy.
struct BurstFigures {
    /// One invocation (the reports of a batch's messages share process and times).
    struct Invocation: Hashable {
        var function: String
        var process: String
        var received: Double
        var ended: Double
    }

    let invocations: Set<Invocation>

    /// Reads the `invocation report` lines of `runner.log`.
    init(runnerLog: URL) throws {
        var invocations: Set<Invocation> = []
        let text = try String(contentsOf: runnerLog, encoding: .utf8)
        for line in text.split(separator: "\n") where line.contains(#""message":"invocation report""#) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let function = object["function"] as? String, let process = object["process"] as? String,
                let received = (object["received_at"] as? String).flatMap(Double.init),
                let ended = (object["ended_at"] as? String).flatMap(Double.init)
            else { continue }
            invocations.insert(Invocation(function: function, process: process, received: received, ended: ended))
        }
        self.invocations = invocations
    }

    /// The most invocations of functions named with `suffix` that overlapped in time.
    func mostAtOnce(_ suffix: String) -> Int {
        var edges: [(Double, Int)] = []
        for invocation in invocations where invocation.function.hasSuffix(suffix) {
            edges += [(invocation.received, 1), (invocation.ended, -1)]
        }
        // An end and a start at the same instant do not overlap.
        edges.sort { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        var running = 0
        var most = 0
        for (_, change) in edges {
            running += change
            most = max(most, running)
        }
        return most
    }

    /// Invocations of functions named with `suffix`.
    func count(_ suffix: String) -> Int {
        invocations.filter { $0.function.hasSuffix(suffix) }.count
    }

    /// Seconds the function's invocations took in all, spread over `processes`: the least wall
    /// time it needs for the burst on this machine.
    func busySeconds(_ suffix: String, processes: Int) -> Double {
        let total = invocations.filter { $0.function.hasSuffix(suffix) }.reduce(0) { $0 + $1.ended - $1.received }
        return total / Double(max(processes, 1))
    }
}

/// The machine's busy CPU time (`/proc/stat`: user, nice, system, irq, softirq, steal), seconds.
enum MachineCPU {
    static func busySeconds() throws -> Double {
        let stat = try String(contentsOfFile: "/proc/stat", encoding: .utf8)
        guard let line = stat.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return 0 }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 8 else { return 0 }
        let busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]
        return busy / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// The CPU time one process has used (`/proc/PID/stat` utime + stime), seconds; 0 if gone.
    static func processSeconds(_ pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        // Fields after the command name: state is field 3, utime 14, stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
