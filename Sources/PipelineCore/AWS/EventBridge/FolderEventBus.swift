import Foundation
import Logging

/// An ``EventBus`` that writes each entry, as EventBridge would deliver it, to a JSON file in a
/// folder. Local runs chain stages by passing such a file to the next stage's `--event`.
public struct FolderEventBus: EventBus {
    /// The folder the events go to.
    public let folder: URL

    /// Creates a bus writing into `folder` (created on first use).
    public init(folder: URL) {
        self.folder = folder
    }

    public func put(_ entries: [EventEntry]) async throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Made here, not at init: the binaries create the bus before logging is bootstrapped.
        let logger = Logger(label: "events")
        for entry in entries {
            let id = UUID().uuidString.lowercased()
            let stamp = Int(Date().timeIntervalSince1970 * 1000)
            let file = folder.appendingPathComponent("\(stamp)-\(entry.detailType)-\(id.prefix(8)).json")
            try entry.delivered(id: id, time: Date()).write(to: file, options: .atomic)
            logger.info("event written", metadata: ["detail_type": "\(entry.detailType)", "file": "\(file.path)"])
        }
    }
}
