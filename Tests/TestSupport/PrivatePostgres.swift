import Foundation
import Processes

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
        // To a file, not a pipe: the server `start` leaves running keeps its output open.
        let status = try await ProcessRunner.run(
            ProcessCommand(
                TestEnvironment.file("scripts/postgres").path, arguments,
                environment: inherited.merging(environment) { $1 }, output: .appendToFile(log.path)),
            timeout: .seconds(120)
        ).status
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw TestSetupError("scripts/postgres \(arguments.joined(separator: " ")) failed (\(status)): \(output)")
        }
        return output
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
