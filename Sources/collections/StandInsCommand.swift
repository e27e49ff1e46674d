import ArgumentParser
import Logging
import PipelineCore
import StandIns

/// `collections stand-ins`: offline Claude and Voyage APIs on 127.0.0.1.
struct StandInsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stand-ins",
        abstract: "Serve offline stand-ins for the Claude Messages API and the Voyage embeddings API.",
        discussion: """
            POST /v1/messages answers with the pixel model's analysis in the Messages API's shapes; \
            POST /v1/embeddings answers with the hashing embedder in Voyage's. Point Analyzer at it with \
            ANTHROPIC_BASE_URL=http://127.0.0.1:PORT and any ANTHROPIC_API_KEY.
            """)

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8787

    func run() async throws {
        JSONLogHandler.bootstrap()
        let logger = Logger(label: "stand-ins")
        try await StandInServer().run(host: host, port: port, logger: logger) { port in
            logger.info("stand-ins listening", metadata: ["url": "http://\(host):\(port)"])
        }
    }
}
