/// Splits a SQL file into statements at top-level semicolons.
///
/// Semicolons inside quotes, identifiers, dollar-quoted bodies and comments do not split.
/// PostgreSQL's extended protocol runs one statement at a time, so migrations go through this.
enum SQLScript {
    /// The statements of `sql`, trimmed, without empty ones or comment-only ones.
    static func statements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var index = sql.startIndex
        func flush() {
            let statement = current.trimmingWhitespace()
            if !statement.isEmpty, !isOnlyComments(statement) { statements.append(statement) }
            current = ""
        }
        while index < sql.endIndex {
            let rest = sql[index...]
            if rest.hasPrefix("--") {
                let end = rest.firstIndex(of: "\n") ?? sql.endIndex
                current += sql[index..<end]
                index = end
            } else if rest.hasPrefix("/*") {
                let end = rest.range(of: "*/")?.upperBound ?? sql.endIndex
                current += sql[index..<end]
                index = end
            } else if let quote = rest.first, quote == "'" || quote == "\"" {
                let after = sql.index(after: index)
                let end = sql[after...].firstIndex(of: quote).map { sql.index(after: $0) } ?? sql.endIndex
                current += sql[index..<end]
                index = end
            } else if rest.first == "$", let tag = dollarTag(rest) {
                let bodyStart = sql.index(index, offsetBy: tag.count)
                let end = sql[bodyStart...].range(of: tag)?.upperBound ?? sql.endIndex
                current += sql[index..<end]
                index = end
            } else if rest.first == ";" {
                flush()
                index = sql.index(after: index)
            } else {
                current.append(sql[index])
                index = sql.index(after: index)
            }
        }
        flush()
        return statements
    }

    /// `$$` or `$tag$` at the start of `text`.
    private static func dollarTag(_ text: Substring) -> String? {
        var tag = "$"
        for character in text.dropFirst() {
            if character == "$" { return tag + "$" }
            guard character.isLetter || character.isNumber || character == "_" else { return nil }
            tag.append(character)
        }
        return nil
    }

    private static func isOnlyComments(_ statement: String) -> Bool {
        statement.split(separator: "\n").allSatisfy { $0.trimmingWhitespace().hasPrefix("--") }
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
