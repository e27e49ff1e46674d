import Foundation
import Packaging

/// The archives' sizes, architectures and C library versions as a table, then every problem.
enum ReportTable {
    static func render(_ reports: [ArchiveReport], output: String) -> String {
        let header = [
            "function", "architecture", "files", "unpacked", "zipped", "glibc needed", "glibc bundled", "archive",
        ]
        let rows = reports.map { report in
            [
                report.function, report.architecture, "\(report.files)", mebibytes(report.unpackedBytes),
                report.zippedBytes.map(mebibytes) ?? "-", report.glibcRequired?.description ?? "-",
                report.glibcBundled?.description ?? "-",
                report.errors.isEmpty ? "\(output)/\(report.function).zip" : "REFUSED",
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        var lines = [line(header)] + rows.map(line)
        for architecture in Set(reports.map(\.architecture)).sorted() {
            lines.append("built for \(architecture): deploy with the template parameter Architecture=\(architecture)")
        }
        for report in reports {
            lines += report.warnings.map { "warning: \(report.function): \($0)" }
            lines += report.errors.map { "error: \(report.function): \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    private static func mebibytes(_ bytes: Int64) -> String {
        String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}
