import Foundation
import LocalStack
import Testing

/// Port choice for the local stack's servers.
@Suite struct LocalPortsTests {
    private func address(_ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private func call(_ socket: Int32, _ port: Int, _ body: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Int32)
        -> Int32
    {
        var address = address(port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                body(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    @Test func aPortHeldByAnOutgoingConnectionIsNotFree() throws {
        // A listener, and a client whose own end is bound to a port nothing listens on: as when
        // the kernel hands an ephemeral port to a connection to PostgreSQL or moto.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer {
            close(client)
            close(listener)
        }
        let serverPort = try LocalPorts.free(from: 54600)
        try #require(call(listener, serverPort, bind) == 0 && listen(listener, 1) == 0)
        let clientPort = try LocalPorts.free(from: serverPort + 1)
        try #require(call(client, clientPort, bind) == 0)
        try #require(call(client, serverPort, connect) == 0)

        #expect(!LocalPorts.inUse(clientPort), "nothing listens there")
        #expect(!LocalPorts.canBind(clientPort), "but a server could not bind it")
        #expect(try LocalPorts.free(from: clientPort) != clientPort)
        #expect(LocalPorts.inUse(serverPort) && !LocalPorts.canBind(serverPort))
    }
}
