import Foundation

/// Prints rows as an aligned plain-text table, truncating long cells.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []
    var maxWidth = 48

    mutating func add(_ row: [String]) {
        rows.append(row)
    }

    func render() -> String {
        let cells = ([headers] + rows).map { $0.map { clip($0) } }
        let widths = headers.indices.map { column in cells.map { $0[column].count }.max() ?? 0 }
        func line(_ row: [String]) -> String {
            // Pad by characters: NSString's padding(toLength:) counts UTF-16 units and would cut
            // a cell holding an emoji.
            zip(row, widths).map { $0 + String(repeating: " ", count: max(0, $1 - $0.count)) }
                .joined(separator: "  ").trimmingWhitespace()
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(cells[0]), rule] + cells.dropFirst().map(line)).joined(separator: "\n")
    }

    private func clip(_ text: String) -> String {
        text.count > maxWidth ? String(text.prefix(maxWidth - 1)) + "…" : text
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
