import Foundation
import Packaging
import PipelineCore
import TestSupport
import Testing

/// Each Lambda archive from `scripts/package` runs on a machine that is not this one: unpacked
/// into an otherwise empty root (only `/proc`, `/dev` and `/tmp` added, as Lambda provides),
/// started with `chroot` as an unprivileged user (as on Lambda) against a Runtime API on
/// loopback, it answers an invocation. Together they take one photo (and one HEIC) from S3 to a
/// vector in PostgreSQL.
@Suite(.enabled(if: LambdaArchives.folder != nil || TestEnvironment.integrationRequired), .serialized)
struct ArchiveInChrootTests {
    @Test func theArchivesTakeAPhotoFromS3ToAVectorInsideEmptyRoots() async throws {
        let server = try MotoServer.requireVerifying()
        let bucket = MotoServer.uniqueName("chroot")
        let queue = try await server.busDeliveringToQueue(bucket)
        let s3 = S3Client(client: server.client(), endpoint: server.endpoint)
        try await s3.createBucket(bucket)
        try await s3.put(
            bucket: bucket, key: "chroot/red.jpg", data: try TestEnvironment.data("fixtures/images/red.jpg"),
            contentType: "image/jpeg")
        try await s3.put(
            bucket: bucket, key: "chroot/red.heic", data: try TestEnvironment.data("fixtures/images/red.heic"),
            contentType: "image/heic")
        var environment = server.environment
        environment["COLLECTIONS_EVENT_BUS_NAME"] = bucket

        // ImageProcessor: a real thumbnail from a JPEG, and from a HEIC through the bundled module.
        let uploads = try await ["chroot/red.jpg", "chroot/red.heic"].asyncMap { key in
            let head = try await s3.head(bucket: bucket, key: key)
            return S3EventSamples.put(bucket: bucket, key: key, size: head.size, etag: head.etag)
        }
        let processedReports = try await invoke("ImageProcessor", uploads, environment: environment)
        for report in processedReports {
            guard case .response(_, let body) = report else {
                Issue.record("ImageProcessor failed in its chroot: \(report)")
                return
            }
            #expect(body.contains(#""processed""#), "\(body)")
        }
        let processedEvents = try await server.receive(2, from: queue)
        try #require(processedEvents.count == 2)
        for event in processedEvents {
            let processed = try ImageProcessed.decodeEvent(from: Data(event.utf8))
            let thumbnail = try await s3.head(bucket: bucket, key: processed.thumbnailKey)
            #expect(thumbnail.contentType == "image/jpeg" && thumbnail.size > 0)
        }

        try await ScratchDatabase.with("archive_chroot") { database in
            environment["DATABASE_URL"] = try ScratchDatabase.url("archive_chroot")
            try await withStandIns { standIns in
                var analyzer = environment
                analyzer["ANTHROPIC_BASE_URL"] = standIns
                analyzer["ANTHROPIC_API_KEY"] = "sk-local"
                let analyzed = try await invoke("Analyzer", [Data(processedEvents[0].utf8)], environment: analyzer)
                guard case .response(_, let body) = analyzed[0] else {
                    Issue.record("Analyzer failed in its chroot: \(analyzed)")
                    return
                }
                #expect(body.contains(#""model":"claude-haiku-5-5""#), "\(body)")
                let analyzedEvents = try await server.receive(1, from: queue)
                try #require(analyzedEvents.count == 1)

                var embedder = environment
                embedder["VOYAGE_BASE_URL"] = standIns
                embedder["VOYAGE_API_KEY"] = "pa-local"
                let embedded = try await invoke("Embedder", [Data(analyzedEvents[0].utf8)], environment: embedder)
                guard case .response = embedded[0] else {
                    Issue.record("Embedder failed in its chroot: \(embedded)")
                    return
                }
            }
            #expect(try await ScratchDatabase.count("analyses", in: database) == 1)
            #expect(try await ScratchDatabase.count("embeddings", in: database) == 1)
        }
    }

    @Test func everyArchivePassesItsOwnChecksOnceUnzipped() async throws {
        for function in FunctionPackage.pipeline {
            let root = try await unpack(function.name)
            defer { try? FileManager.default.removeItem(at: root) }
            let report = try await ArchiveInspector.inspect(
                root.appendingPathComponent("var/task"), function: function, limits: .lambda)
            #expect(report.errors == [], "\(function.name)")
            #expect(report.unpackedBytes < ArchiveLimits.lambda.maximumUnpackedBytes)
        }
    }

    /// Unzips `NAME.zip` into `ROOT/var/task` of a fresh root holding only empty `proc`, `dev`, `tmp`.
    private func unpack(_ function: String) async throws -> URL {
        guard let archives = LambdaArchives.folder else {
            throw TestSetupError("COLLECTIONS_LAMBDA_ARCHIVES is not set: run scripts/package, or scripts/test")
        }
        let archive = archives.appendingPathComponent("\(function).zip")
        guard FileManager.default.fileExists(atPath: archive.path) else {
            throw TestSetupError("\(archive.path) is missing: run scripts/package")
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lambda-root-\(UUID().uuidString)")
        for folder in ["var/task", "proc", "dev", "tmp"] {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o1777], ofItemAtPath: root.path + "/tmp")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root.path)
        try await PackagingFixture.run(
            "unzip", ["-q", archive.path, "-d", root.appendingPathComponent("var/task").path])
        return root
    }

    /// Starts `function`'s bootstrap chrooted into its unpacked archive, hands it `events` through
    /// a Runtime API on loopback, and returns what it reported for each.
    private func invoke(
        _ function: String, _ events: [Data], environment: [String: String]
    ) async throws -> [ScriptedRuntime.Report] {
        let root = try await unpack(function)
        defer { try? FileManager.default.removeItem(at: root) }
        let behavior = ScriptedRuntime(
            events.enumerated().map { .init(id: "\(function)-\($0.offset)", event: $0.element) })
        return try await RuntimeAPIServer.with(behavior) { address in
            var variables = environment
            variables["AWS_LAMBDA_RUNTIME_API"] = address
            variables["AWS_LAMBDA_FUNCTION_NAME"] = function
            variables["LAMBDA_TASK_ROOT"] = "/var/task"
            variables["_HANDLER"] = "bootstrap"
            // A private mount namespace: /proc and /dev vanish with the process.
            // Lambda runs the function as an unprivileged user: so does this (nobody).
            let script = """
                mount -t proc proc "$1/proc" && mount --rbind /dev "$1/dev" \
                  && exec chroot --userspec=65534:65534 "$1" /var/task/bootstrap
                """
            let process = try await Products.start(
                program: URL(fileURLWithPath: "/usr/bin/unshare"),
                arguments: ["--mount", "--propagation", "private", "/bin/sh", "-c", script, "sh", root.path],
                environment: variables)
            defer { process.signal(SIGKILL) }
            do {
                return try await behavior.waitForReports(events.count, timeout: .seconds(60))
            } catch {
                process.signal(SIGKILL)
                let outcome = try? await process.wait(timeout: .seconds(5))
                throw TestSetupError(
                    "\(function) in its chroot: \(error); output: \(outcome?.stdout ?? "") \(outcome?.stderr ?? "")")
            }
        }
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async throws -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}

/// Where the archives under test are.
enum LambdaArchives {
    /// `COLLECTIONS_LAMBDA_ARCHIVES`: the folder `scripts/package` wrote (scripts/test sets it).
    static let folder = ProcessInfo.processInfo.environment["COLLECTIONS_LAMBDA_ARCHIVES"].map {
        URL(fileURLWithPath: $0)
    }
}
