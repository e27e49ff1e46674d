import ArgumentParser
import Foundation
import Logging
import PipelineCore

/// `collections-bench search`: the client-side latency of ``SearchRepository/search(_:)`` on a
/// file of query vectors, for each `ef_search` asked for, and the items each search returned.
///
/// Queries run one at a time over the pool (so on one connection), as `collections search` and a
/// function issue them: a read-only transaction setting `hnsw.ef_search`, then the statement.
/// Before timing each `ef_search`, the first `--warmup` queries run untimed. Prints one JSON
/// object; `bench/search.py` computes recall and percentiles from it.
struct SearchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Time SearchRepository.search on query vectors from a file (JSON).")

    @Option(help: "The database holding the benchmark's rows.")
    var databaseURL: String

    @Option(help: "Query vectors: little-endian float32, one after another.")
    var queries: String

    @Option(help: "The query vectors' dimensions.")
    var dimensions = 1024

    @Option(help: "Query texts, one line per vector (needed by hybrid and text modes).")
    var texts: String?

    @Option(help: "hnsw.ef_search values, comma-separated; each is a separate timed pass.")
    var efSearch = "40"

    @Option(help: "Results per search.")
    var limit = 10

    @Option(help: "vector, hybrid or text.")
    var mode = "vector"

    @Option(help: "Only this user's items.")
    var user: String?

    @Option(help: "The embedding model of the stored rows.")
    var model = "voyage-4"

    @Option(help: "Untimed searches before each pass.")
    var warmup = 20

    func run() async throws {
        guard let mode = SearchMode(rawValue: mode) else {
            throw ValidationError("--mode must be one of \(SearchMode.allCases.map(\.rawValue))")
        }
        let values = try efSearch.split(separator: ",").map { text in
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--ef-search takes comma-separated integers, not \(efSearch)")
            }
            return value
        }
        let vectors = try Self.readVectors(queries, dimensions: dimensions)
        let lines = try texts.map { try Self.readLines($0, count: vectors.count) }
        let searches = vectors.indices.map { index in
            SearchQuery(
                vector: vectors[index], model: model, text: lines?[index], filters: SearchFilters(userID: user),
                mode: mode, limit: limit)
        }
        let database = try Database(url: databaseURL, logger: Logger(label: "bench"))
        let passes = try await database.closing { database in
            let repository = SearchRepository(database: database)
            var passes: [Pass] = []
            for value in values {
                passes.append(try await Self.pass(searches, efSearch: value, warmup: warmup, on: repository))
            }
            return passes
        }
        print(try ImagingBench.json(Report(mode: mode.rawValue, user: user, limit: limit, passes: passes)))
    }

    /// Every search at one `ef_search`, after `warmup` untimed ones.
    static func pass(_ searches: [SearchQuery], efSearch: Int, warmup: Int, on repository: SearchRepository)
        async throws -> Pass
    {
        let searches = searches.map { search in
            var search = search
            search.efSearch = efSearch
            return search
        }
        for search in searches.prefix(warmup) { _ = try await repository.search(search) }
        var pass = Pass(efSearch: efSearch)
        for search in searches {
            let (elapsed, results) = try await ImagingBench.time { try await repository.search(search) }
            pass.latencyMs.append(elapsed)
            pass.itemIds.append(results.map(\.itemID.uuidString))
        }
        return pass
    }

    /// Little-endian float32 vectors of `dimensions` each, from a file.
    static func readVectors(_ path: String, dimensions: Int) throws -> [[Float]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let width = dimensions * MemoryLayout<Float>.size
        guard dimensions > 0, !data.isEmpty, data.count % width == 0 else {
            throw ValidationError(
                "\(path) holds \(data.count) bytes, not a whole number of \(dimensions)-float vectors")
        }
        return stride(from: 0, to: data.count, by: width).map { start in
            (0..<dimensions).map { index in
                let offset = start + index * 4
                let bits = data[offset..<offset + 4].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.1) << (8 * $1.0) }
                return Float(bitPattern: bits)
            }
        }
    }

    /// The file's lines; there must be `count`.
    static func readLines(_ path: String, count: Int) throws -> [String] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        guard lines.count == count else {
            throw ValidationError("\(path) has \(lines.count) lines for \(count) query vectors")
        }
        return lines
    }

    /// What the Python section reads.
    struct Report: Encodable {
        var mode: String
        var user: String?
        var limit: Int
        var passes: [Pass]
    }

    /// One `ef_search`: each search's latency and the item IDs it returned, in query order.
    struct Pass: Encodable {
        var efSearch: Int
        var latencyMs: [Double] = []
        var itemIds: [[String]] = []
    }
}
