import Foundation

/// A PostgreSQL server of one test's own, run by `scripts/postgres` with its own folder
/// (`COLLECTIONS_PG_DIR`) and port (`COLLECTIONS_PG_PORT`), which the test may stop and start:
/// the shared server other suites use is never touched.
public struct PrivatePostgres: Sendable {
    /// The folder holding the cluster, its log and password.
    public let folder: URL
    /// The port it listens on, 127.0.0.1.
    public let port: Int

    /// The variables that point `scripts/postgres` (and `collections local up`) at this server.
    public var environment: [String: String] {
        ["COLLECTIONS_PG_DIR": folder.appendingPathComponent("pg").path, "COLLECTIONS_PG_PORT": "\(port)"]
    }

    /// Starts a server on a free port in a new folder, runs `body`, then stops it and removes the folder.
    public static func with<T>(_ body: (PrivatePostgres) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "collections-private-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // As root the server runs as another user, which must be able to reach its folder.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        let server = PrivatePostgres(folder: folder, port: try FreePort.find())
        do {
            try await server.start()
            let result = try await body(server)
            try? await server.stop()
            try? FileManager.default.removeItem(at: folder)
            return result
        } catch {
            try? await server.stop()
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    /// Starts the server (initialising it the first time); returns when it accepts connections.
    public func start() async throws { try await script(["start"]) }

    /// Stops the server (fast shutdown: sessions are ended at once).
    public func stop() async throws { try await script(["stop"]) }

    /// The URL of database `name` on this server.
    public func url(_ name: String = "collections") async throws -> String {
        try await script(["url", name]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Creates database `name` afresh, with pgvector.
    public func createDatabase(_ name: String) async throws { try await script(["createdb", name]) }

    @discardableResult
    private func script(_ arguments: [String]) async throws -> String {
        let log = folder.appendingPathComponent("script-\(UUID().uuidString.prefix(8)).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let inherited = ProcessInfo.processInfo.environment.filter { ["PATH", "HOME", "LANG"].contains($0.key) }
        let status = try await ScriptRun.run(
            TestEnvironment.file("scripts/postgres").path, arguments,
            environment: inherited.merging(environment) { $1 },
            log: log.path)
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw TestSetupError("scripts/postgres \(arguments.joined(separator: " ")) failed (\(status)): \(output)")
        }
        return output
    }
}

/// Runs a script with posix_spawn and waits for it by pid. Foundation's `Process` never sees
/// `scripts/postgres start` end: the server it starts inherits the descriptor `Process` watches.
enum ScriptRun {
    static func run(_ executable: String, _ arguments: [String], environment: [String: String], log: String)
        async throws -> Int32
    {
        // A clean signal mask: the test process blocks signals its child would inherit.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw TestSetupError("cannot start \(executable): errno \(spawned)") }
        var status: Int32 = 0
        let start = ContinuousClock.now
        while waitpid(pid, &status, WNOHANG) == 0 {
            guard ContinuousClock.now - start < .seconds(120) else {
                kill(pid, SIGKILL)
                throw TestSetupError("\(executable) \(arguments.joined(separator: " ")) ran over 120 s")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}

/// A TCP port on 127.0.0.1 nothing listens on.
public enum FreePort {
    /// Asks the kernel for an unused port (bound, then released at once).
    public static func find() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw TestSetupError("socket() failed: errno \(errno)") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socket, generic, length) == 0 && getsockname(socket, generic, &length) == 0
            }
        }
        guard bound else { throw TestSetupError("cannot bind a port on 127.0.0.1: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
