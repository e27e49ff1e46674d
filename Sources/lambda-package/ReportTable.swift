import Foundation
import Packaging
import Tables

/// The archives' sizes, architectures and C library versions as a ``Table``, then every problem.
enum ReportTable {
    static func render(_ reports: [ArchiveReport], output: String) -> String {
        var table = Table(
            headers: [
                "function", "architecture", "files", "unpacked", "zipped", "glibc needed", "glibc bundled", "archive",
            ], maxWidth: 200)
        for report in reports {
            table.add([
                report.function, report.architecture, "\(report.files)", mebibytes(report.unpackedBytes),
                report.zippedBytes.map(mebibytes) ?? "-", report.glibcRequired?.description ?? "-",
                report.glibcBundled?.description ?? "-",
                report.errors.isEmpty ? "\(output)/\(report.function).zip" : "REFUSED",
            ])
        }
        var lines = [table.render()]
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
