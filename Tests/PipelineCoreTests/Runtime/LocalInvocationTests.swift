import Foundation
import PipelineCore
import TestSupport
import Testing

@Suite struct LocalInvocationTests {
    @Test func anEventIsPassedThroughAsIs() throws {
        let data = try TestEnvironment.data("events/s3-put.json")
        #expect(try LocalInvocation.events(in: data) == [data])
    }

    @Test(arguments: ["events/object-created.json", "events/image-processed.json", "events/image-analyzed.json"])
    func putEventsEntriesAreWrappedAsEventBridgeDelivers(path: String) throws {
        let entries = try JSONDecoder().decode([EventEntry].self, from: TestEnvironment.data(path))
        let events = try LocalInvocation.events(in: TestEnvironment.data(path))
        #expect(events.count == entries.count)
        let envelope = try JSONDecoder().decode(EventBridgeEnvelope.self, from: events[0])
        #expect(envelope.source == entries[0].source)
        #expect(envelope.detailType == entries[0].detailType)
        #expect(entries[0].eventBusName == "collections")
    }

    @Test func malformedEntriesAreClearErrors() {
        let notObject = #"[{"Source":"s","DetailType":"T","Detail":"[1,2]"}]"#
        let error = #expect(throws: EventError.self) { try LocalInvocation.events(in: Data(notObject.utf8)) }
        #expect(error?.message == "entry 0: Detail is not a JSON object in a string")
        #expect(throws: EventError.self) { try LocalInvocation.events(in: Data("[]".utf8)) }
        let missing = #expect(throws: EventError.self) {
            try LocalInvocation.events(in: Data(#"[{"Source":"s","Detail":"{}"}]"#.utf8))
        }
        #expect(missing?.message.contains("DetailType") == true)
    }
}
