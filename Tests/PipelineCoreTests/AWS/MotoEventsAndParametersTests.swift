import Foundation
import PipelineCore
import TestSupport
import Testing

/// EventBridgeClient and SSMClient against moto with signatures verified.
@Suite(.enabled(if: MotoServer.enabled)) struct MotoEventsAndParametersTests {
    @Test func putEventsReachAQueueThroughARule() async throws {
        let server = try MotoServer.requireVerifying()
        let bus = MotoServer.uniqueName("bus")
        let queue = try await server.busDeliveringToQueue(bus)
        let client = EventBridgeClient(client: server.client(), endpoint: server.endpoint)
        let entries = try (0..<12).map { index in
            try EventEntry(
                ImageAnalyzed(
                    itemID: ItemID.of(bucket: "b", key: "k\(index)"), analysisID: UUID(), model: "m",
                    promptVersion: "p"),
                eventBusName: bus)
        }
        try await client.put(entries)
        let bodies = try await server.receive(12, from: queue)
        #expect(bodies.count == 12)
        let delivered = try bodies.map { try ImageAnalyzed.decodeEvent(from: Data($0.utf8)) }
        #expect(Set(delivered.map(\.itemID)) == Set((0..<12).map { ItemID.of(bucket: "b", key: "k\($0)") }))
        let envelope = try JSONDecoder().decode(EventBridgeEnvelope.self, from: Data(bodies[0].utf8))
        #expect(envelope.source == "collections.analyzer")
        #expect(envelope.detailType == "ImageAnalyzed")
    }

    @Test func aMissingBusIsATypedError() async throws {
        let server = try MotoServer.requireVerifying()
        let client = EventBridgeClient(client: server.client(), endpoint: server.endpoint)
        let entry = EventEntry(
            source: "collections.test", detailType: "T", detail: "{}", eventBusName: MotoServer.uniqueName("none"))
        await #expect(throws: EventBusError.self) { try await client.put([entry]) }
    }

    @Test func secureParametersAreDecryptedAndCached() async throws {
        let server = try MotoServer.requireVerifying()
        let name = "/collections/\(MotoServer.uniqueName("db"))"
        try await server.call(
            .ssm, "AmazonSSM.PutParameter",
            ["Name": name, "Value": "postgres://u:s3cret@db:5432/collections", "Type": "SecureString"])
        let store = CachedParameterStore(SSMClient(client: server.client(), endpoint: server.endpoint))
        #expect(try await store.value(of: name) == "postgres://u:s3cret@db:5432/collections")
        try await server.call(.ssm, "AmazonSSM.DeleteParameter", ["Name": name])
        #expect(try await store.value(of: name) == "postgres://u:s3cret@db:5432/collections")  // cached
        let missing = await #expect(throws: ParameterStoreError.self) {
            try await SSMClient(client: server.client(), endpoint: server.endpoint).value(of: name)
        }
        #expect(missing?.code == .notFound)
        #expect((missing?.underlying as? AWSError)?.code == "ParameterNotFound")
    }
}
