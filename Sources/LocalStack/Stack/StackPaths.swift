import Foundation

/// Where a local stack's files live: everything under one state folder (`.collections/local/`
/// in the checkout unless `COLLECTIONS_LOCAL_DIR` says otherwise).
public struct StackPaths: Sendable {
    /// The Git checkout: the template, `scripts/` and `.venv/`.
    public var home: URL
    /// The state folder.
    public var state: URL
    /// Where the function binaries are (beside `collections`).
    public var binaries: URL

    /// Creates the paths.
    public init(home: URL, state: URL, binaries: URL) {
        self.home = home
        self.state = state
        self.binaries = binaries
    }

    /// Logs of the stack's processes.
    public var logs: URL { state.appendingPathComponent("logs") }
    /// The CloudFormation template.
    public var template: URL { home.appendingPathComponent("infrastructure/template.yaml") }
    /// The Python environment with moto and the `aws` CLI.
    public var venv: URL { home.appendingPathComponent(".venv") }

    /// Finds the checkout from `start` upwards: the folder holding `infrastructure/template.yaml`
    /// and `scripts/postgres`.
    public static func findHome(from start: URL) -> URL? {
        var folder = start.standardizedFileURL
        while true {
            let fm = FileManager.default
            if fm.fileExists(atPath: folder.appendingPathComponent("infrastructure/template.yaml").path),
                fm.fileExists(atPath: folder.appendingPathComponent("scripts/postgres").path)
            {
                return folder
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    /// The paths for this process: the checkout holding the running binary (else the current
    /// folder's), the state folder from `override`, `COLLECTIONS_LOCAL_DIR` or the default.
    /// - Throws: ``LocalStackError`` when no checkout is found.
    public static func current(stateOverride: String? = nil) throws -> StackPaths {
        let environment = ProcessInfo.processInfo.environment
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let binaries = Bundle.main.executableURL?.deletingLastPathComponent() ?? executable.deletingLastPathComponent()
        guard
            let home = findHome(from: binaries)
                ?? findHome(from: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        else {
            throw LocalStackError(
                "cannot find the collections checkout (infrastructure/template.yaml, scripts/postgres) above \(binaries.path) or the current folder"
            )
        }
        let state =
            (stateOverride ?? environment["COLLECTIONS_LOCAL_DIR"]).map { URL(fileURLWithPath: $0) }
            ?? home.appendingPathComponent(".collections/local")
        return StackPaths(home: home, state: state.standardizedFileURL, binaries: binaries)
    }
}
