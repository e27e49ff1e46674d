/// Some entries of a PutEvents call failed (the call itself answered 200).
struct PutEventsPartialFailure: Error, CustomStringConvertible {
    /// One entry PutEvents did not accept.
    struct Entry: Sendable {
        var entry: EventEntry
        var code: String
        var message: String
    }

    /// The entries that failed, with their `ErrorCode` and `ErrorMessage`.
    var failed: [Entry]
    /// How many entries the call sent.
    var sent: Int

    var description: String {
        "\(failed.count) of \(sent) entries failed: " + Set(failed.map(\.code)).sorted().joined(separator: ", ")
    }
}
