import Foundation

/// The shared libraries some programs load, as this machine's dynamic loader resolves them.
public struct LibraryClosure: Sendable {
    /// Each library by the name it is asked for (`libvips.so.42`), with the file it resolves to.
    public var libraries: [String: URL] = [:]
    /// The dynamic loader the programs ask for.
    public var loader: URL?

    /// Resolves everything `files` load, directly or indirectly, with `ldd`.
    /// - Throws: ``PackagingError`` naming every library the loader cannot find.
    public static func resolve(_ files: [URL]) async throws -> LibraryClosure {
        var closure = LibraryClosure()
        var missing: [String] = []
        for file in files {
            let parsed = parse(lddOutput: try await Tool.output("ldd", [file.path]))
            closure.libraries.merge(parsed.libraries) { first, _ in first }
            closure.loader = closure.loader ?? parsed.loader
            missing += parsed.missing.map { "\($0) (needed by \(file.lastPathComponent))" }
        }
        guard missing.isEmpty else {
            throw PackagingError("the dynamic loader cannot find \(missing.joined(separator: ", ")) on this machine")
        }
        return closure
    }

    /// Parses `ldd` output: `name => /path (0x...)`, `name => not found`, `/loader (0x...)`.
    static func parse(lddOutput: String) -> (libraries: [String: URL], loader: URL?, missing: [String]) {
        var libraries: [String: URL] = [:]
        var loader: URL?
        var missing: [String] = []
        for line in lddOutput.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if let arrow = text.range(of: " => ") {
                let name = String(text[..<arrow.lowerBound])
                let target = text[arrow.upperBound...]
                if target.hasPrefix("not found") {
                    missing.append(name)
                } else if let path = target.split(separator: " ").first, path.hasPrefix("/") {
                    libraries[name] = URL(fileURLWithPath: String(path))
                }
            } else if text.hasPrefix("/"), let path = text.split(separator: " ").first {
                loader = URL(fileURLWithPath: String(path))
            }
        }
        return (libraries, loader, missing)
    }
}
