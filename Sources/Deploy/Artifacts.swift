import Foundation
import PipelineCore
import Processes

/// The three functions' archives and their content-addressed keys in the artifact bucket.
public struct Artifacts: Sendable {
    /// One archive.
    public struct Archive: Sendable, Equatable {
        /// `ImageProcessor`, `Analyzer` or `Embedder`.
        public var function: String
        /// The zip on disk.
        public var file: URL
        /// `collections/<Function>-<first 16 hex digits of its SHA-256>.zip`: a new key exactly when
        /// the bytes changed, so CloudFormation updates exactly the functions whose code changed.
        public var key: String
        /// The template parameter that names the key.
        public var parameter: String { "\(function)ArtifactKey" }
    }

    /// The functions, in the template's order.
    public static let functions = ["ImageProcessor", "Analyzer", "Embedder"]

    /// The archives.
    public let archives: [Archive]

    /// The archives in `directory` (`ImageProcessor.zip`, `Analyzer.zip`, `Embedder.zip`).
    /// - Throws: ``DeployError`` naming a missing one.
    public init(directory: URL) throws {
        archives = try Self.functions.map { function in
            let file = directory.appendingPathComponent("\(function).zip")
            guard let data = FileManager.default.contents(atPath: file.path) else {
                throw DeployError(
                    "no \(file.path): build the archives with scripts/package, or name their folder with --archives")
            }
            return Archive(function: function, file: file, key: Self.key(function: function, data: data))
        }
    }

    /// The architecture the archives were built for (`x86_64` or `arm64`), from their binaries;
    /// nil when none holds one (archives not made by `scripts/package`).
    /// - Throws: ``DeployError`` when they disagree.
    public func architecture() throws -> String? {
        var found: [String: String] = [:]
        for archive in archives {
            found[archive.function] = try ArchiveArchitecture.of(archive.file, function: archive.function)
        }
        let names = Set(found.values)
        guard names.count <= 1 else {
            let list = found.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            throw DeployError(
                "the archives are built for different architectures (\(list)): build all three on one machine")
        }
        return names.first
    }

    /// The content-addressed key for an archive's bytes.
    public static func key(function: String, data: Data) -> String {
        "collections/\(function)-\(SigV4.sha256Hex(data).prefix(16)).zip"
    }

    /// Builds the archives with `scripts/package` (its output shown as it runs).
    /// - Returns: the folder they are in (`dist/lambda`).
    public static func build(repository: URL) async throws -> URL {
        let script = repository.appendingPathComponent("scripts/package").path
        let outcome = try await ProcessRunner.run(
            ProcessCommand(script, [], workingDirectory: repository.path, output: .inherit))
        guard outcome.succeeded else {
            throw DeployError("scripts/package failed (exit status \(outcome.status)); see its output above")
        }
        return repository.appendingPathComponent("dist/lambda")
    }

    /// Uploads the archives whose keys are not in the bucket yet (HeadObject first).
    /// - Returns: the keys uploaded.
    public func upload(to bucket: String, s3: S3Client, say: (String) -> Void) async throws -> [String] {
        var uploaded: [String] = []
        for archive in archives {
            if try await s3.objectExists(bucket: bucket, key: archive.key) {
                say("  \(archive.function): s3://\(bucket)/\(archive.key) is already there")
                continue
            }
            let data = try Data(contentsOf: archive.file)
            try await s3.put(bucket: bucket, key: archive.key, data: data, contentType: "application/zip")
            say("  \(archive.function): uploaded s3://\(bucket)/\(archive.key) (\(data.count) bytes)")
            uploaded.append(archive.key)
        }
        return uploaded
    }
}
