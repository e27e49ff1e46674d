import Foundation

/// Finds SQL built from strings in Swift source.
///
/// postgres-nio's `PostgresQuery` binds every `\(value)` in a string literal as a parameter
/// (`$1`, `$2`, ...), and `query(_:)` takes only a `PostgresQuery`, so a `String` variable cannot
/// reach the server by accident. Text becomes SQL only through three doors, which this audit checks:
/// - `PostgresQuery(unsafeSQL: x)` (and `stringLiteral:`): allowed only for a string literal
///   without interpolation, or a site listed in ``allowed`` with the reason it is safe;
/// - `\(unescaped: x)` inside a query literal: allowed for a literal without interpolation, a
///   `static let` in the audited sources bound to such a literal, or a site listed in ``allowed``;
/// - `simpleQuery(...)` (which takes a `String`): never allowed.
struct SQLConstructionAudit {
    /// One use of a door.
    struct Finding: Equatable, CustomStringConvertible {
        var file: String
        var line: Int
        var door: String
        var argument: String
        var description: String { "\(file):\(line): \(door) \(argument)" }
    }

    /// Sites that build SQL from something other than a literal, by file name and argument, with
    /// the reason each cannot carry outside input.
    static let allowed: [String: Set<String>] = [
        // Statements of the migrations bundled with the binary (Migrations/*.sql), split by SQLScript.
        "Migrator.swift": ["statement"],
        // distanceExpression(dimensions:) interpolates only the vector's Int dimension count and
        // the literal "$6"; SQLConstructionTests checks its text.
        "SearchRepository.swift": ["distance"],
    ]

    /// Every use of a door in `source`, and those that break the rules.
    /// - Parameter shared: constants declared in other files (an extension's type's, say).
    static func audit(file: String, source: String, shared: Set<String> = []) -> (
        uses: [Finding], violations: [Finding]
    ) {
        let lines = source.components(separatedBy: "\n")
        let constants = staticLiterals(in: source).union(shared)
        var uses: [Finding] = []
        var violations: [Finding] = []
        for (index, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
            for (door, pattern) in [
                ("unsafeSQL:", #"PostgresQuery\(\s*(?:unsafeSQL|stringLiteral):\s*(.+?)\)"#),
                ("unescaped:", #"\\\(unescaped:\s*([^)]+)\)"#),
                ("simpleQuery", #"\.simpleQuery\(\s*([^)]*)"#),
            ] {
                for argument in matches(of: pattern, in: line) {
                    let finding = Finding(file: file, line: index + 1, door: door, argument: argument)
                    uses.append(finding)
                    let literal = argument.hasPrefix("\"") && !argument.contains("\\(")
                    let constant = constants.contains(argument.replacingOccurrences(of: "Self.", with: ""))
                    let listed = allowed[file]?.contains(argument) == true
                    if door == "simpleQuery" || !(literal || constant || listed) { violations.append(finding) }
                }
            }
        }
        return (uses, violations)
    }

    /// Audits every Swift file under a folder.
    static func audit(folder: URL) throws -> (uses: [Finding], violations: [Finding]) {
        var uses: [Finding] = []
        var violations: [Finding] = []
        let files =
            FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        let sources = try files.map { ($0.lastPathComponent, try String(contentsOf: $0, encoding: .utf8)) }
        let constants = sources.reduce(into: Set<String>()) { $0.formUnion(staticLiterals(in: $1.1)) }
        for (file, source) in sources {
            let result = audit(file: file, source: source, shared: constants)
            uses += result.uses
            violations += result.violations
        }
        return (uses, violations)
    }

    /// Names of `static let NAME = "..."` or `"""..."""` literals without interpolation.
    static func staticLiterals(in source: String) -> Set<String> {
        var names: Set<String> = []
        let pattern = #"static let (\w+)(?:: String)? = ("""[\s\S]*?"""|"[^"\n]*")"#
        let regex = try! NSRegularExpression(pattern: pattern)
        let range = NSRange(source.startIndex..., in: source)
        for match in regex.matches(in: source, range: range) {
            guard let name = Range(match.range(at: 1), in: source), let value = Range(match.range(at: 2), in: source)
            else { continue }
            if !source[value].contains("\\(") { names.insert(String(source[name])) }
        }
        return names
    }

    private static func matches(of pattern: String, in line: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: line, range: NSRange(line.startIndex..., in: line)).compactMap {
            Range($0.range(at: 1), in: line).map { line[$0].trimmingCharacters(in: .whitespaces) }
        }
    }
}
