import Tables
import Testing
import TextTable

/// The one table printer: aligned by characters, so emoji and accents never shift or cut a column.
@Suite struct TableTests {
    @Test func alignsByCharactersAndTrimsTrailingSpaces() {
        var table = Table(headers: ["tag", "n"])
        table.add(["🌷 tulips", "12"])
        table.add(["café", "3"])
        table.add(["x", ""])
        #expect(
            table.render() == """
                tag       n
                --------  --
                🌷 tulips  12
                café      3
                x
                """)
    }

    @Test func cutsLongCellsWithAnEllipsis() {
        var table = Table(headers: ["summary"], maxWidth: 6)
        table.add(["🌷🌷🌷🌷🌷🌷🌷🌷"])
        table.add(["short"])
        #expect(table.render() == "summa…\n------\n🌷🌷🌷🌷🌷…\nshort")
    }

    @Test func anEmptyTableStillHasItsHeader() {
        #expect(Table(headers: ["item", "size"]).render() == "item  size\n----  ----")
    }

    /// Why ``Table`` brings its own style: TextTable's built-in styles pad with
    /// `padding(toLength:)`, which counts UTF-16 units and cuts a cell holding an emoji. When this
    /// fails, upstream pads by characters and ``AlignedColumns`` may go.
    @Test func textTablesOwnStylesCutEmoji() {
        let table = TextTable<[String]> { row in [Column(title: "tag", value: row[0])] }
        let rendered = table.string(for: [["🌷ab"], ["xyz"]], style: Style.simple) ?? ""
        #expect(!rendered.contains("🌷ab"), "\(rendered)")
    }
}
