import TextTable

/// The one table printer: rows as an aligned plain-text table, on ordo-one's TextTable with
/// ``AlignedColumns`` as its style (TextTable's own styles pad with `padding(toLength:)`, which
/// counts UTF-16 units and cuts a cell holding an emoji).
public struct Table: Sendable {
    /// The column titles.
    public var headers: [String]
    /// The rows, one cell per header.
    public var rows: [[String]] = []
    /// Cells longer than this many characters are cut, ending in `…`.
    public var maxWidth: Int

    /// Creates an empty table.
    public init(headers: [String], maxWidth: Int = 48) {
        self.headers = headers
        self.maxWidth = maxWidth
    }

    /// Appends a row; missing cells are empty, extra ones dropped.
    public mutating func add(_ row: [String]) {
        rows.append(headers.indices.map { $0 < row.count ? row[$0] : "" })
    }

    /// The header, a rule of dashes, then the rows: columns two spaces apart, each as wide as its
    /// longest cell (in characters, at most ``maxWidth``), no trailing spaces.
    public func render() -> String {
        let headers = self.headers
        let widths = headers.indices.map { column in
            min(maxWidth, ([headers] + rows).map { $0[column].count }.max() ?? 0)
        }
        let table = TextTable<[String]> { row in
            zip(headers, zip(row, widths)).map { Column(title: $0, value: $1.0, width: $1.1) }
        }
        guard !rows.isEmpty else {
            // TextTable renders nothing for no rows; the header and rule still say what is absent.
            return AlignedColumns.headerLines(
                headers.indices.map { Column(title: headers[$0], value: "", width: widths[$0]) })
        }
        return String((table.string(for: rows, style: AlignedColumns.self) ?? "").dropLast())
    }
}
