import Foundation

/// How `collections local up` sets the stack up.
public struct StackOptions: Sendable {
    /// The PostgreSQL database (created by `scripts/postgres`; `collections` exists from the start).
    public var database = "collections"
    /// The upload bucket's name (the template's `UploadBucketName`).
    public var bucket = "collections-local"
    /// Processes per function, over the template; a function absent here gets ``defaultProcesses``.
    public var processes: [String: Int] = [:]
    /// Processes for functions not in ``processes``; nil for the event source mapping's
    /// `MaximumConcurrency`, as deployed.
    public var defaultProcesses: Int?
    /// The wait before a failed event's first retry (doubling after): the functions'
    /// `COLLECTIONS_RETRY_DELAY_SECONDS`, over the template's `RetryDelaySeconds` (Lambda's 30 s is
    /// long on a laptop).
    public var retryDelay: Duration = .seconds(1)
    /// Faults the stand-ins inject, such as `429=0.1,500=0.05` (none by default).
    public var standInFaults = ""
    /// Rate limits the stand-ins enforce, such as `claude=300/min,voyage=2000/min` (none by default).
    public var standInRateLimit = ""
    /// Values for template parameters, over the local defaults.
    public var parameters: [String: String] = [:]
    /// The caller's environment: real API keys here switch the stand-ins off for that API.
    public var environment: [String: String] = ProcessInfo.processInfo.environment

    /// Creates the defaults.
    public init() {}
}
