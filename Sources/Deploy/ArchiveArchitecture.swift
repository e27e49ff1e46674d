import Foundation
import ZIPFoundation

/// The Lambda architecture an archive's function was built for, read from the ELF header of its
/// `bin/<Function>` without unpacking the rest.
enum ArchiveArchitecture {
    /// ELF `e_machine` values (System V ABI, "ELF Header"): 62 is `EM_X86_64`, 183 `EM_AARCH64`;
    /// Lambda calls them `x86_64` and `arm64` (`Architectures` of AWS::Lambda::Function).
    static let lambdaNames: [UInt16: String] = [62: "x86_64", 183: "arm64"]

    /// The architecture of `function` in the zip at `file`; nil when the zip holds no
    /// `bin/<function>` ELF file (an archive not made by `scripts/package`).
    /// - Throws: ``DeployError`` for an ELF file of a machine Lambda does not run, or a zip that
    ///   cannot be read.
    static func of(_ file: URL, function: String) throws -> String? {
        let archive: Archive
        do {
            archive = try Archive(url: file, accessMode: .read)
        } catch {
            throw DeployError("\(file.path) is not a readable zip archive: \(error)")
        }
        guard let entry = archive["bin/\(function)"] else { return nil }
        var header = Data()
        let progress = Progress(totalUnitCount: 0)
        do {
            _ = try archive.extract(entry, bufferSize: 64, skipCRC32: true, progress: progress) { chunk in
                header.append(chunk)
                if header.count >= 20 { progress.cancel() }
            }
        } catch Archive.ArchiveError.cancelledOperation {}
        // e_ident: 0x7F "ELF", then the class and the byte order (1: little-endian); e_machine at 18.
        guard header.count >= 20, header.prefix(4) == Data([0x7F, 0x45, 0x4C, 0x46]) else { return nil }
        let bytes = [UInt8](header.prefix(20))
        let machine =
            bytes[5] == 1 ? UInt16(bytes[18]) | UInt16(bytes[19]) << 8 : UInt16(bytes[18]) << 8 | UInt16(bytes[19])
        guard let name = lambdaNames[machine] else {
            throw DeployError(
                "\(file.lastPathComponent): bin/\(function) is built for ELF machine \(machine), which Lambda does not run"
            )
        }
        return name
    }
}
