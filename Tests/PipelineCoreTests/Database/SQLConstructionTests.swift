import Foundation
import TestSupport
import Testing

/// No SQL in Sources/ is built from strings: every query is a `PostgresQuery` literal whose
/// interpolations are bound parameters, except the reviewed sites ``SQLConstructionAudit`` lists.
@Suite struct SQLConstructionTests {
    @Test func sourcesBuildNoSQLFromStrings() throws {
        let result = try SQLConstructionAudit.audit(folder: TestEnvironment.file("Sources"))
        #expect(result.violations.isEmpty, "SQL built from strings:\n\(result.violations.map(\.description))")
        // The audit sees the doors the code does use: the migrations' statements, the ON CONFLICT
        // condition and the search's distance expression.
        let seen = Set(result.uses.map { "\($0.file) \($0.argument)" })
        #expect(seen.contains("Migrator.swift statement"), "\(seen)")
        #expect(seen.contains("PostgresStore.swift Self.notNewer"), "\(seen)")
        #expect(seen.contains("SearchRepository.swift distance"), "\(seen)")
    }

    @Test func theAuditCatchesEachDoor() {
        let source = #"""
            struct Bad {
                static let safe = """
                    a = b
                    """
                static let built = "x = \(name)"
                func run(name: String, sql: String) async throws {
                    try await client.query(PostgresQuery(unsafeSQL: "SELECT * FROM t WHERE n = '\(name)'"))
                    try await client.query(PostgresQuery(unsafeSQL: sql))
                    try await client.query("SELECT 1 WHERE \(unescaped: name)")
                    try await client.query("SELECT 1 WHERE \(unescaped: Self.built)")
                    try await connection.simpleQuery("SELECT 1")
                    try await client.query("SELECT 1 WHERE \(unescaped: Self.safe) AND n = \(name)")
                    try await client.query(PostgresQuery(unsafeSQL: "SELECT 1"))
                    // try await client.query(PostgresQuery(unsafeSQL: sql))
                }
            }
            """#
        let result = SQLConstructionAudit.audit(file: "Bad.swift", source: source)
        #expect(result.violations.map(\.line) == [7, 8, 9, 10, 11], "\(result.violations)")
        #expect(result.uses.count == 7)
        // The same argument names are fine only in the files where they were reviewed.
        let migrator = SQLConstructionAudit.audit(
            file: "Migrator.swift", source: "try await c.query(PostgresQuery(unsafeSQL: statement))")
        #expect(migrator.violations.isEmpty && migrator.uses.count == 1)
        let elsewhere = SQLConstructionAudit.audit(
            file: "Other.swift", source: "try await c.query(PostgresQuery(unsafeSQL: statement))")
        #expect(elsewhere.violations.count == 1)
    }

    /// The reviewed distance expression interpolates only an integer and a literal.
    @Test func theSearchDistanceExpressionInterpolatesOnlyItsDimension() throws {
        let source = try String(
            contentsOf: TestEnvironment.file("Sources/PipelineCore/Database/SearchRepository.swift"), encoding: .utf8)
        let start = try #require(source.range(of: "static func distanceExpression(dimensions: Int) -> String {"))
        let end = try #require(source[start.upperBound...].range(of: "\n    }\n"))
        let text = String(source[start.upperBound..<end.lowerBound])
        let interpolated = Set(
            text.matches(of: /\\\((\w+)\)/).map { String($0.output.1) })
        #expect(interpolated == ["dimensions", "parameter"], "\(interpolated)")
        #expect(text.contains(#"let parameter = "$6""#))
    }
}
