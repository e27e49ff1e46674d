// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "collections",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ImageProcessor", targets: ["ImageProcessor"]),
        .executable(name: "Analyzer", targets: ["Analyzer"]),
        .executable(name: "Embedder", targets: ["Embedder"]),
        .executable(name: "collections", targets: ["collections"]),
        .executable(name: "lambda-package", targets: ["lambda-package"]),
        .executable(name: "collections-bench", targets: ["collections-bench"]),
        .library(name: "PipelineCore", targets: ["PipelineCore"]),
        .library(name: "Imaging", targets: ["Imaging"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/ordo-one/TextTable", from: "0.0.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // libvips through pkg-config, plus a header-only shim for its variadic functions.
        .systemLibrary(
            name: "CVips",
            pkgConfig: "vips",
            providers: [.apt(["libvips-dev"])]
        ),
        // libexpat, for the XML of S3's error answers: Foundation's XMLParser would bring libxml2
        // and ICU (35 MB) into Analyzer's and Embedder's archives.
        .systemLibrary(
            name: "CExpat",
            pkgConfig: "expat",
            providers: [.apt(["libexpat1-dev"])]
        ),
        // Everything the three stages share. Must never depend on CVips or Imaging:
        // Analyzer and Embedder link only this.
        .target(
            name: "PipelineCore",
            dependencies: [
                "CExpat",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // For the concrete type of the pool's errors (ConnectionPoolError), which
                // PostgresNIO throws but does not re-export.
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            resources: [.copy("Database/Migrations")]
        ),
        // The only code that touches libvips.
        .target(name: "Imaging", dependencies: ["CVips", "PipelineCore"]),
        // The offline Claude and Voyage stand-ins (`collections stand-ins`), over Hummingbird.
        .target(
            name: "StandIns",
            dependencies: [
                "PipelineCore", "Imaging",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // The local stack: function processes fed from SQS through a local Lambda Runtime API,
        // wired as infrastructure/template.yaml says (read with Yams).
        .target(
            name: "LocalStack",
            dependencies: [
                "PipelineCore", "Processes",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // Lambda archives for provided.al2023: the closure of shared libraries, the bundled C
        // library and loader, and the checks an archive must pass (`scripts/package`).
        .target(
            name: "Packaging",
            dependencies: ["Processes", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        // The one way the package starts processes: swift-subprocess, in a process group,
        // SIGTERM then SIGKILL after a grace period, the exit status awaited.
        .target(
            name: "Processes",
            dependencies: ["CProcessWait", .product(name: "Subprocess", package: "swift-subprocess")]
        ),
        // pidfd_open(2) and poll(2), to await the exit of a process that is not our child.
        .target(name: "CProcessWait"),
        // The one table printer (ordo-one's TextTable with a style that pads by characters).
        .target(name: "Tables", dependencies: [.product(name: "TextTable", package: "TextTable")]),
        .executableTarget(
            name: "lambda-package",
            dependencies: [
                "Packaging", "Tables", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "ImageProcessor", dependencies: ["PipelineCore", "Imaging"]),
        .executableTarget(name: "Analyzer", dependencies: ["PipelineCore"]),
        .executableTarget(name: "Embedder", dependencies: ["PipelineCore"]),
        .executableTarget(
            name: "collections",
            dependencies: [
                "PipelineCore", "Imaging", "StandIns", "LocalStack", "Processes", "Tables", "Deploy",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `collections deploy` and `destroy`: archives, secrets, migrations and the stack's change set.
        .target(
            name: "Deploy",
            dependencies: [
                "PipelineCore", "LocalStack", "Processes", "Tables",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        // In-process measurements for scripts/bench.
        .executableTarget(
            name: "collections-bench",
            dependencies: [
                "PipelineCore", "Imaging",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Shared by the test targets: repository paths, the integration gate, scratch databases.
        .target(
            name: "TestSupport",
            dependencies: [
                "PipelineCore", "StandIns", "Processes",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "PipelineCoreTests", dependencies: ["PipelineCore", "Processes", "TestSupport"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "PipelineCore", "StandIns", "TestSupport"]),
        .testTarget(name: "LocalStackTests", dependencies: ["LocalStack", "PipelineCore", "Processes", "TestSupport"]),
        .testTarget(name: "PackagingTests", dependencies: ["Packaging", "PipelineCore", "TestSupport"]),
        .testTarget(name: "TablesTests", dependencies: ["Tables", .product(name: "TextTable", package: "TextTable")]),
        .testTarget(name: "ProcessesTests", dependencies: ["Processes"]),
        .testTarget(
            name: "DeployTests",
            dependencies: [
                "Deploy", "PipelineCore", "Processes", "TestSupport",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
    ]
)
