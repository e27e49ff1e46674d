import TextTable

/// A ``TextTableStyle`` for terminals: left-aligned columns two spaces apart under a rule of
/// dashes, cells padded and cut by characters (grapheme clusters), trailing spaces trimmed.
public enum AlignedColumns: TextTableStyle {
    public static func prepare(_ s: String, for column: Column) -> String {
        let width = column.repeated(" ").count
        let text = s.count > width ? String(s.prefix(max(0, width - 1))) + "…" : s
        return text + String(repeating: " ", count: max(0, width - text.count))
    }

    public static func escape(_ table: String) -> String { table }

    public static func begin(_ table: inout String, index: Int, columns: [Column]) {}

    public static func end(_ table: inout String, index: Int, columns: [Column]) {}

    public static func header(_ table: inout String, index: Int, columns: [Column]) {
        table += headerLines(columns) + "\n"
    }

    public static func row(_ table: inout String, index: Int, columns: [Column]) {
        table += trimmed(columns.map { $0.string(for: self) }.joined(separator: "  ")) + "\n"
    }

    /// The header line and the rule under it.
    static func headerLines(_ columns: [Column]) -> String {
        trimmed(columns.map { $0.headerString(for: self) }.joined(separator: "  ")) + "\n"
            + columns.map { $0.repeated("-") }.joined(separator: "  ")
    }

    private static func trimmed(_ line: String) -> String {
        var line = line
        while line.last == " " { line.removeLast() }
        return line
    }
}
