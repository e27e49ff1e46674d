import Foundation

/// TCP ports on 127.0.0.1.
public enum LocalPorts {
    /// Whether something accepts connections on the port.
    public static func inUse(_ port: Int) -> Bool {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }

    /// Whether a server could bind the port now. Stricter than ``inUse(_:)``: our ports lie in
    /// Linux's ephemeral range (32768–60999), so an outgoing connection may hold one that nothing
    /// listens on, and a server's bind would then fail.
    public static func canBind(_ port: Int) -> Bool {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var reuse: Int32 = 1  // as servers set it: a port in TIME_WAIT is still usable
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }

    /// The first port from `wanted` up that a server can bind.
    /// - Throws: ``LocalStackError`` when none is free below 65536.
    public static func free(from wanted: Int) throws -> Int {
        var port = wanted
        while !canBind(port) {
            port += 1
            guard port < 65536 else { throw LocalStackError("no free port from \(wanted) up") }
        }
        return port
    }

    /// Waits until something listens on the port.
    /// - Returns: whether it did within `timeout`.
    public static func waitUntilListening(_ port: Int, timeout: Duration) async -> Bool {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < timeout {
            if inUse(port) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
