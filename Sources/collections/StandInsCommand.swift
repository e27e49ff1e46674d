import ArgumentParser
import Foundation
import Logging
import PipelineCore
import StandIns

/// `collections stand-ins`: offline Claude and Voyage APIs on 127.0.0.1.
struct StandInsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stand-ins",
        abstract: "Serve offline stand-ins for the Claude Messages API and the Voyage embeddings API.",
        discussion: """
            POST /v1/messages answers with the pixel model's analysis in the Messages API's shapes, and \
            POST /model/{modelId}/invoke as Claude on Bedrock does (signatures checked against --aws-credentials, \
            default the AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN it runs with); \
            POST /v1/embeddings answers with the hashing embedder in Voyage's. Point Analyzer at it with \
            ANTHROPIC_BASE_URL=http://127.0.0.1:PORT and any ANTHROPIC_API_KEY, and Embedder with \
            VOYAGE_BASE_URL=http://127.0.0.1:PORT and any VOYAGE_API_KEY. With --rate-limit, each service refuses \
            what exceeds its limits with 429 as the real one does (token buckets, refilled continuously). GET \
            /stand-ins/stats counts requests, injected faults and throttled requests.
            """)

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8787
    @Option(
        help: """
            Faults to inject, such as 429=0.1,500=0.05,529=0.05,hang=0.01,latency=20ms,retry-after=200ms,\
            hang-for=30s,seed=7 (default: COLLECTIONS_STAND_IN_FAULTS, else none).
            """)
    var faults: String?
    @Option(
        name: .customLong("rate-limit"),
        help: """
            Rate limits, such as claude=300/min:itpm=30000:otpm=8000,voyage=2000/min:tpm=3000000: requests per \
            /min or /s, then tokens per minute (Claude itpm and otpm, Voyage tpm); Bedrock counts as claude \
            (default: COLLECTIONS_STAND_IN_RATE_LIMIT, else none).
            """)
    var rateLimit: String?
    @Option(
        name: .customLong("aws-credentials"),
        help: "KEY:SECRET[:TOKEN] Bedrock requests may be signed with (repeatable; default: the AWS_* variables).")
    var awsCredentials: [String] = []

    func run() async throws {
        JSONLogHandler.bootstrap()
        let logger = Logger(label: "stand-ins")
        let text = faults ?? ProcessInfo.processInfo.environment["COLLECTIONS_STAND_IN_FAULTS"] ?? ""
        let plan: FaultPlan
        do {
            plan = try FaultPlan(parsing: text)
        } catch {
            throw ValidationError("\(error)")
        }
        let limits: RateLimits
        do {
            limits = try RateLimits(
                parsing: rateLimit ?? ProcessInfo.processInfo.environment["COLLECTIONS_STAND_IN_RATE_LIMIT"] ?? "")
        } catch {
            throw ValidationError("\(error)")
        }
        var credentials = try awsCredentials.map { text in
            let parts = text.split(separator: ":", maxSplits: 2).map(String.init)
            guard parts.count >= 2 else { throw ValidationError("--aws-credentials takes KEY:SECRET[:TOKEN]") }
            return AWSCredentials(
                accessKeyID: parts[0], secretAccessKey: parts[1], sessionToken: parts.dropFirst(2).first)
        }
        if credentials.isEmpty, let own = try? AWSCredentials(environment: ProcessInfo.processInfo.environment) {
            credentials = [own]
        }
        try await StandInServer(faults: plan, rateLimits: limits, awsCredentials: credentials).run(
            host: host, port: port, logger: logger
        ) { port in
            logger.info(
                "stand-ins listening",
                metadata: [
                    "url": "http://\(host):\(port)", "faults": "\(plan)", "rate_limits": "\(limits)",
                ])
        }
    }
}
