import Foundation
import PipelineCore
import PostgresNIO
import TestSupport
import Testing

/// Text full of quotes, backslashes, SQL and unusual Unicode goes into PostgreSQL through the real
/// ``PostgresStore`` and comes back byte for byte through the paths users read it by: the store,
/// ``SearchRepository``, `collections items` and `collections search`. Nothing is executed as SQL.
@Suite(.serialized, .enabled(if: TestEnvironment.databaseEnabled, "needs COLLECTIONS_TEST_DATABASE_URL (scripts/test)"))
struct SQLInjectionTests {
    /// Values that break string-built SQL one way or another (no NUL: PostgreSQL text cannot hold it).
    static let hostile = [
        "'; DROP TABLE items; --",
        "Robert'); DROP TABLE analyses;--",
        "' OR '1'='1",
        "\" OR \"\"=\"",
        #"back\slash \' \\ ends with \"#,
        "$1 $2::text $$dollar$$ $tag$ body $tag$",
        "%_ LIKE wildcards [a-z]* %",
        #"E'\x41' U&'\0041' ::regclass"#,
        "tab\there\nnew line\r\ncrlf",
        "/* comment */ -- line comment ; SELECT pg_sleep(10);",
        "caf\u{E9} cafe\u{301} \u{6F22}\u{5B57} \u{1F9EA}\u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467} \u{200B}\u{FEFF}\u{7F}",
    ]

    /// A user id that is itself an injection attempt.
    static let user = "u'1\" OR 1=1; --"

    private func record(_ index: Int, _ text: String) -> AnalysisRecord {
        let key = "\(Self.user)/\(index) \(text).jpg"
        let event = ImageProcessed(
            itemID: ItemID.of(bucket: "b'; --", key: key), userID: Self.user, bucket: "b'; --", originalKey: key,
            thumbnailKey: "thumbnails/\(key)", contentType: "image/jpeg; x='1'", width: 40, height: 30, bytes: 1234,
            etag: "\"etag'\\\(index)\"", renditionKey: "renditions/\(text)", versionID: "v'\(text)",
            sequencer: "00\(index)")
        let analysis = Analysis(
            category: .other, summary: "summary \(index) \(text)", description: text,
            tags: [text, "tag \(index)", "{\"a\",b}", "NULL"], objects: [text, "'"], colors: ["\\"],
            detectedText: text)
        let raw = String(data: try! JSONEncoder().encode(["note": text]), encoding: .utf8)!
        return AnalysisRecord(
            item: ItemRecord(event), model: "m'; DROP TABLE embeddings; --", promptVersion: "$1",
            output: AnalysisOutput(
                analysis: analysis, rawJSON: raw, usage: TokenUsage(inputTokens: 5, outputTokens: 7),
                requestID: "req'\(text)"))
    }

    /// Swift's `==` on strings is canonical equivalence (`é` equals `e` + U+0301): compare bytes.
    private func sameBytes(_ a: String, _ b: String) -> Bool { Array(a.utf8) == Array(b.utf8) }

    @Test func hostileTextRoundTripsThroughTheStoreAndSearch() async throws {
        try await ScratchDatabase.with("collections_test_injection") { database in
            let store = PostgresStore(database: database)
            let embedder = HashingEmbedder(dimensions: 1024)
            var ids: [UUID] = []
            for (index, text) in Self.hostile.enumerated() {
                let record = record(index, text)
                let id = try #require(try await store.save(record))
                ids.append(id)
                // Looking it up by the same hostile values finds it.
                #expect(
                    try await store.existingAnalysis(
                        itemID: record.item.event.itemID, etag: record.item.event.etag, model: record.model,
                        promptVersion: record.promptVersion) == id)
                let vector = try await embedder.embed([record.output.analysis.summary], as: .document).vectors[0]
                try await store.save([
                    EmbeddingRecord(
                        analysisID: id, itemID: record.item.event.itemID, model: embedder.modelID, vector: vector,
                        contentHash: "hash'\(text)", totalTokens: 1)
                ])
            }
            for table in ["items", "analyses", "embeddings"] {
                #expect(try await ScratchDatabase.count(table, in: database) == Self.hostile.count, "\(table)")
            }

            // The store reads each analysis back byte for byte.
            let stored = try await store.analyses(ids)
            #expect(stored.count == Self.hostile.count)
            for (index, text) in Self.hostile.enumerated() {
                let expected = record(index, text).output.analysis
                let found = try #require(stored.first { $0.analysisID == ids[index] })
                #expect(sameBytes(found.analysis.summary, expected.summary), "\(text)")
                #expect(sameBytes(found.analysis.description, text) && sameBytes(found.analysis.detectedText, text))
                #expect(found.analysis.tags.map { Array($0.utf8) } == expected.tags.map { Array($0.utf8) })
                #expect(found.analysis.objects.map { Array($0.utf8) } == expected.objects.map { Array($0.utf8) })
                #expect(found.analysis.colors == ["\\"])
            }

            // Search for each summary finds its own item first, with key, summary, tags intact.
            let search = SearchRepository(database: database)
            for (index, text) in Self.hostile.enumerated() {
                let expected = record(index, text)
                let vector = try await embedder.embed([expected.output.analysis.summary], as: .query).vectors[0]
                let results = try await search.nearest(
                    to: vector, model: embedder.modelID, userID: Self.user, limit: Self.hostile.count)
                #expect(results.count == Self.hostile.count)
                let first = try #require(results.first)
                #expect(sameBytes(first.objectKey, expected.item.event.originalKey), "\(first.objectKey)")
                #expect(sameBytes(first.userID, Self.user))
                #expect(sameBytes(first.thumbnailKey, expected.item.event.thumbnailKey))
                #expect(sameBytes(first.summary, expected.output.analysis.summary))
                #expect(first.tags.map { Array($0.utf8) } == expected.output.analysis.tags.map { Array($0.utf8) })
            }
            // A user filter that is an injection attempt matches no one.
            let anyVector = try await embedder.embed(["x"], as: .query).vectors[0]
            for attempt in ["' OR '1'='1", "u'1\" OR 1=1; -- ", "%"] {
                #expect(try await search.nearest(to: anyVector, model: embedder.modelID, userID: attempt).isEmpty)
            }

            // Each hostile summary as hybrid or full-text query text is parsed as words
            // (websearch_to_tsquery never fails), finds its own item first, and a hostile category
            // or text filter matches nothing.
            for (index, text) in Self.hostile.enumerated() {
                let expected = record(index, text)
                let summary = expected.output.analysis.summary
                let vector = try await embedder.embed([summary], as: .query).vectors[0]
                for mode in [SearchMode.hybrid, .text] {
                    let results = try await search.search(
                        SearchQuery(
                            vector: vector, model: embedder.modelID, text: summary, filters: .init(userID: Self.user),
                            mode: mode, limit: Self.hostile.count))
                    let first = try #require(results.first, "\(mode) \(text)")
                    #expect(sameBytes(first.objectKey, expected.item.event.originalKey), "\(mode): \(first.objectKey)")
                    #expect(sameBytes(first.summary, summary))
                }
            }
            for attempt in Self.hostile + ["' OR '1'='1", "%", "other' OR '1'='1"] {
                for mode in SearchMode.allCases {
                    let filtered = SearchQuery(
                        vector: anyVector, model: embedder.modelID, text: attempt, filters: .init(category: attempt),
                        mode: mode)
                    #expect(try await search.search(filtered).isEmpty, "\(mode) \(attempt)")
                }
            }

            // The raw tool input went in as JSON, not as SQL: its text is the hostile value.
            let raw = try await database.client.query(
                "SELECT raw->>'note', request_id, model, prompt_version FROM analyses WHERE analysis_id = \(ids[0])")
            for try await (note, request, model, prompt) in raw.decode((String, String, String, String).self) {
                #expect(sameBytes(note, Self.hostile[0]) && sameBytes(request, "req'\(Self.hostile[0])"))
                #expect(model == "m'; DROP TABLE embeddings; --" && prompt == "$1")
            }
        }
    }

    @Test func theCommandsFilterAndPrintHostileTextAsText() async throws {
        try await ScratchDatabase.with("collections_test_injection_cli") { database in
            let store = PostgresStore(database: database)
            let embedder = HashingEmbedder(dimensions: 1024)
            // One-line values short enough that the table does not clip them.
            let texts = ["'; DROP TABLE items; --", "' OR '1'='1", #"a\b \' \\"#, "$1 $$x$$", "caf\u{E9} \u{1F9EA}"]
            for (index, text) in texts.enumerated() {
                let record = record(index, text)
                let id = try #require(try await store.save(record))
                let vector = try await embedder.embed([record.output.analysis.summary], as: .document).vectors[0]
                try await store.save([
                    EmbeddingRecord(
                        analysisID: id, itemID: record.item.event.itemID, model: embedder.modelID, vector: vector,
                        contentHash: "h", totalTokens: 1)
                ])
            }
            let environment = [
                "DATABASE_URL": try ScratchDatabase.url("collections_test_injection_cli"),
                "COLLECTIONS_LOCAL_DIR": FileManager.default.temporaryDirectory.appendingPathComponent(
                    "no-stack-\(UUID().uuidString)"
                ).path,
            ]
            func collections(_ arguments: [String]) async throws -> String {
                let outcome = try await Products.run("collections", arguments: arguments, environment: environment)
                #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
                return outcome.stdout
            }

            let items = try await collections(["items", "--user", Self.user, "--limit", "100"])
            for (index, text) in texts.enumerated() {
                #expect(items.contains("\(Self.user)/\(index) \(text).jpg"), "\(text) in\n\(items)")
                #expect(items.contains(text + ", tag \(index)"), "tags of \(text)")
            }
            // Filters that are injection attempts, or LIKE patterns, match nothing.
            for attempt in [
                ["--user", "' OR '1'='1"], ["--user", "%"], ["--prefix", "%"], ["--prefix", "' OR 1=1 --"],
            ] {
                let none = try await collections(["items"] + attempt)
                #expect(!none.contains(Self.user), "\(attempt) listed items:\n\(none)")
            }
            // A prefix with quotes matches as text: exactly the item it names.
            let one = try await collections(["items", "--prefix", "\(Self.user)/1 ' OR"])
            #expect(one.contains("\(Self.user)/1 ' OR '1'='1.jpg") && !one.contains("DROP TABLE"), "\(one)")

            for (index, text) in texts.enumerated() {
                let summary = "summary \(index) \(text)"
                for mode in ["hybrid", "vector", "text"] {
                    let found = try await collections([
                        "search", summary, "--user", Self.user, "--mode", mode, "--models", "offline",
                    ])
                    let first = found.split(separator: "\n").first { $0.hasPrefix("1 ") }.map(String.init) ?? ""
                    #expect(
                        first.contains("\(Self.user)/\(index) \(text).jpg") && first.contains(summary), "\(found)")
                }
            }
            // A hostile category or date is refused as a usage error, before any query.
            for attempt in [["--category", "' OR '1'='1"], ["--since", "2024-01-01' OR '1'='1"]] {
                let outcome = try await Products.run(
                    "collections", arguments: ["search", "x", "--models", "offline"] + attempt, environment: environment
                )
                #expect(outcome.status == 64 && outcome.stdout.isEmpty, "\(attempt): \(outcome.stderr)")
            }
            #expect(try await ScratchDatabase.count("items", in: database) == texts.count)
        }
    }
}
