// swift-tools-version: 6.2
// `sop`: the AWS account SOP as a tracked, verifiable workflow.
// Core logic lives in libraries; `Sources/sop` holds thin commands only.
import PackageDescription

let package = Package(
    name: "sop",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sop", targets: ["sop"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        // `sop serve`: the HTTP server (no configuration trait: options come from the command line),
        // bcrypt for passwords, and multipart form parsing for evidence uploads.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", exact: "2.5.0"),
        .package(url: "https://github.com/vapor/multipart-kit", exact: "4.7.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.2"),
    ],
    targets: [
        // MARK: System libraries
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        /// libcurl's own headers, with non-variadic wrappers for its setters (`shim.h`).
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        /// libpq, PostgreSQL's own client library: connection strings, `PG*` variables, `~/.pgpass`,
        /// services and TLS exactly as `psql` reads them.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        /// zlib, to inflate gzip and zip evidence before it is scanned for secrets.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // MARK: Core libraries
        /// Region names of cloud providers: the one rule `new`, `verify`, the store and the AWS
        /// client all apply (no dependencies, so every layer can use it).
        .target(name: "CloudRegions"),
        /// The canonical JSON that is hashed, the pretty writer, and the one byte-level reader.
        .target(name: "SOPJSON"),
        /// Template model, the cmark-based template parser, conditions, validation.
        .target(
            name: "SOPCore",
            dependencies: [
                "CCmark",
                "CloudRegions",
                "SOPJSON",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        /// The tracker: SQLite store, customers, evidence, sign-offs, audit chain.
        .target(
            name: "SOPStore",
            dependencies: [
                "CZlib",
                "SOPCore",
                "CloudRegions",
                "SOPJSON",
                "SOPPostgres",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        /// A small read-only AWS client: SigV4, credentials, wire protocols, retries.
        .target(
            name: "AWSClient",
            dependencies: [
                "CloudRegions",
                .target(name: "CCurl", condition: .when(platforms: [.linux])),
                "SOPJSON",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        /// A small PostgreSQL client over libpq: connections, parameterised queries, transactions,
        /// connection strings that are never shown with their password.
        .target(name: "SOPPostgres", dependencies: ["CLibPQ"]),
        /// Service fetchers and the catalog of pure checks over their snapshots.
        .target(
            name: "SOPChecks",
            dependencies: ["AWSClient", "SOPCore"]
        ),
        /// cmark bridge, handover packet, wiki site, publishers.
        .target(
            name: "SOPRender",
            dependencies: [
                "CCmark",
                "SOPCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // MARK: Application layer
        /// One typed entry point per use case; every front end (the CLI, the web server) calls it.
        .target(
            name: "SOPApp",
            dependencies: [
                "CloudRegions", "SOPCore", "SOPJSON", "SOPStore", "AWSClient", "SOPChecks", "SOPRender",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]
        ),

        // MARK: Web front end
        /// `sop serve`: the team's dashboard and the customer portal over the application layer.
        .target(
            name: "SOPServer",
            dependencies: [
                "SOPApp", "SOPCore", "SOPRender",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),

        // MARK: Executable
        .executableTarget(
            name: "sop",
            dependencies: [
                "SOPApp", "SOPCore", "SOPStore", "SOPRender", "SOPServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Benchmarks
        /// Bulk data generation and measurements for `make bench` (not shipped).
        .executableTarget(
            name: "sop-bench",
            dependencies: ["SOPApp", "SOPCore", "SOPStore", "SOPRender", "SOPChecks", "AWSClient"],
            path: "Tests/Bench/BenchTool"
        ),

        // MARK: Tests
        .target(
            name: "TestSupport",
            dependencies: ["SOPCore"],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "SOPCoreTests", dependencies: ["SOPCore", "TestSupport"], exclude: ["Fixtures", "Snapshots"]),
        .testTarget(name: "SOPJSONTests", dependencies: ["SOPJSON"]),
        .testTarget(
            name: "SOPStoreTests", dependencies: ["SOPStore", "SOPJSON", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "AWSClientTests", dependencies: ["AWSClient", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "SOPChecksTests", dependencies: ["SOPChecks", "AWSClient", "TestSupport"]),
        .testTarget(name: "SOPRenderTests", dependencies: ["SOPRender", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(
            name: "SOPAppTests", dependencies: ["SOPApp", "SOPStore", "AWSClient", "TestSupport"],
            exclude: ["Snapshots"]),
        .testTarget(name: "SOPPostgresTests", dependencies: ["SOPPostgres", "SOPStore", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"], exclude: ["Snapshots"]),
        .testTarget(
            name: "SOPServerTests",
            dependencies: [
                "SOPServer", "SOPApp", "SOPStore", "AWSClient", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)

// Warnings are errors in every target of ours (not in dependencies): a warning is a defect the
// build names, never noise CI scrolls past.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [.treatAllWarnings(as: .error)]
}
