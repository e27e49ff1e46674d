import Foundation
import ZIPFoundation

/// Writes Lambda archives with ZIPFoundation: entries as "made by UNIX" with their POSIX modes in
/// the external attributes (Lambda runs `bootstrap` only if its execute bits survive), symbolic
/// links stored as links, deflated. `ArchiveWriterTests` unzips one with Info-ZIP's `unzip` and
/// checks both.
enum ArchiveWriter {
    /// Zips everything under `folder` (not the folder itself) to `archive`, which must not exist.
    /// - Throws: ``PackagingError`` naming the archive.
    static func zip(contentsOf folder: URL, to archive: URL) throws {
        do {
            try FileManager.default.zipItem(
                at: folder, to: archive, shouldKeepParent: false, compressionMethod: .deflate)
        } catch {
            throw PackagingError("cannot write \(archive.path): \(error)")
        }
    }
}
