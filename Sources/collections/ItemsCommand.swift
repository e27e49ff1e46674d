import ArgumentParser
import Foundation
import PipelineCore
import PostgresNIO
import Tables

/// `collections items`: a table of items with their latest analysis.
struct ItemsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "items", abstract: "Print items with size, category, tags and thumbnail path.")

    @Option(help: "Only this user's items.")
    var user: String?

    @Option(help: "Only items whose object key starts with this.")
    var prefix: String?

    @Option(help: "How many items, newest first.")
    var limit = 50

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await CommandContext(options: database).run { context in
            let rows = try await context.database.client.query(
                """
                SELECT i.object_key, i.width, i.height, i.bytes, i.status, coalesce(a.category, ''),
                    coalesce(a.tags, '{}'), i.bucket, i.thumbnail_key, i.error_code
                FROM items i LEFT JOIN latest_analyses a ON a.item_id = i.item_id
                WHERE (\(user)::text IS NULL OR i.user_id = \(user))
                    AND (\(prefix)::text IS NULL OR starts_with(i.object_key, \(prefix)))
                ORDER BY i.object_key
                LIMIT \(limit)
                """)
            var table = Table(headers: ["item", "size", "category", "tags", "thumbnail"])
            let root = context.settings.localObjectRoot ?? Settings.defaultLocalObjectRoot
            for try await (key, width, height, bytes, status, category, tags, bucket, thumbnail, errorCode)
                in rows.decode((String, Int?, Int?, Int?, String, String, [String], String, String?, String?).self)
            {
                // A failed item may lack what only a decoded image gives: it shows its error code instead.
                let megabytes = bytes.map { String(format: "%.1f MB", Double($0) / 1_048_576) } ?? ""
                let size = width.flatMap { w in height.map { "\(w)×\($0) " } } ?? ""
                let shown = status == "failed" ? "failed: \(errorCode ?? "?")" : category.isEmpty ? status : category
                let location = thumbnail.map {
                    context.stack != nil ? "s3://\(bucket)/\($0)" : "\(root)/\(bucket)/\($0)"
                }
                table.add([key, size + megabytes, shown, tags.joined(separator: ", "), location ?? "-"])
            }
            table.maxWidth = 60
            print(table.render())
        }
    }
}
