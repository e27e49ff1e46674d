import ArgumentParser

/// The Swift side of `scripts/bench`: measurements that must run in-process, through the same
/// code the functions run. Each subcommand prints JSON for the Python section that called it.
@main
struct CollectionsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collections-bench",
        abstract: "In-process measurements for scripts/bench (prints JSON).",
        subcommands: [ThumbnailBench.self, SearchBench.self, InvocationBench.self])
}
