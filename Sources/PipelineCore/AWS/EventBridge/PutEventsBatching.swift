/// The PutEvents limits: at most 10 entries a call, each entry under 256 KB as EventBridge
/// counts it (UTF-8 bytes of Source, DetailType, Detail and Resources), and a DetailType of at
/// most 128 characters.
public enum PutEventsBatching {
    /// Entries per call.
    public static let maxEntries = 10
    /// Bytes per entry, and per call.
    public static let maxBytes = 256 * 1024
    /// Characters in a DetailType.
    public static let maxDetailTypeLength = 128

    /// An entry's size as EventBridge computes it.
    public static func size(of entry: EventEntry) -> Int {
        entry.source.utf8.count + entry.detailType.utf8.count + entry.detail.utf8.count
    }

    /// Checks each entry against the limits.
    /// - Throws: ``EventBusError`` with code `invalidEntry`, naming the entry by position and type.
    public static func validate(_ entries: [EventEntry]) throws {
        for (index, entry) in entries.enumerated() {
            let name = "entry \(index) (\(entry.detailType))"
            let size = size(of: entry)
            guard size < maxBytes else {
                throw EventBusError(
                    .invalidEntry, "\(name) is \(size) bytes; PutEvents accepts entries under \(maxBytes) bytes")
            }
            guard !entry.detailType.isEmpty, entry.detailType.count <= maxDetailTypeLength else {
                throw EventBusError(
                    .invalidEntry, "\(name) has a DetailType of \(entry.detailType.count) characters (1 to 128)")
            }
            guard !entry.source.isEmpty else { throw EventBusError(.invalidEntry, "\(name) has an empty Source") }
        }
    }

    /// Splits entries into calls of at most 10 entries and 256 KB, in order.
    public static func batches(_ entries: [EventEntry]) -> [[EventEntry]] {
        var batches: [[EventEntry]] = []
        var current: [EventEntry] = []
        var bytes = 0
        for entry in entries {
            let size = size(of: entry)
            if !current.isEmpty, current.count == maxEntries || bytes + size > maxBytes {
                batches.append(current)
                current = []
                bytes = 0
            }
            current.append(entry)
            bytes += size
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }
}
