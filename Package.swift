// swift-tools-version:6.0
import PackageDescription

/// Settings every target shares.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "cass2dynamo",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cass2dynamo", targets: ["cass2dynamo"]),
        .library(name: "CQL", targets: ["CQL"]),
        .library(name: "SSTable", targets: ["SSTable"]),
        .library(name: "AWS", targets: ["AWS"]),
        .library(name: "Agent", targets: ["Agent"]),
        .library(name: "DynamoModel", targets: ["DynamoModel"]),
        .library(name: "DynamoMapping", targets: ["DynamoMapping"]),
        .library(name: "Migration", targets: ["Migration"]),
        .library(name: "S3Source", targets: ["S3Source"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        // The extraction agent (issue 8): HTTPS service, certificates, settings.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.3.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/swift-extras/swift-extras-base64", from: "1.2.0"),
        .package(url: "https://github.com/CoreOffice/XMLCoder", from: "0.18.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
        // The agent's REST API generated from docs/agent-openapi.yaml (issue 18): runtime and transports.
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.7.0"),
    ],
    targets: [
        // C libraries from Debian: liblz4-dev, libsnappy-dev, libzstd-dev, zlib1g-dev.
        .systemLibrary(name: "CLZ4", path: "Sources/CLZ4"),
        .systemLibrary(name: "CSnappy", path: "Sources/CSnappy"),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CDeflate", path: "Sources/CDeflate"),

        // Hexadecimal text of bytes, for every module (hashes, blobs, escapes, object names).
        .target(name: "HexCoding", swiftSettings: settings),
        // JSON values, the strict parser and the writer (escaping as Cassandra does), for every module.
        .target(name: "JSONCoding", dependencies: ["HexCoding"], swiftSettings: settings),
        // CQL vocabulary: types, values, SELECT JSON encoding, schema model, DDL parser.
        .target(name: "CQL", dependencies: ["HexCoding", "JSONCoding"], swiftSettings: settings),
        // SSTable discovery, decompression, Statistics, the row readers and the merge.
        .target(
            name: "SSTable",
            dependencies: [
                "CQL", "HexCoding", "CLZ4", "CSnappy", "CZstd", "CZlib", "CDeflate",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: settings
        ),
        // Synthetic workloads written as real SSTables, with the rows Cassandra would return (issue 6).
        .target(name: "SampleData", dependencies: ["CQL", "SSTable", "HexCoding", "JSONCoding"], swiftSettings: settings),
        // What is migrated to: DynamoDB attribute values, item sizes, table definitions and names; S3 locations.
        .target(name: "DynamoModel", swiftSettings: settings),
        // AWS wire protocols: SigV4, credentials, HTTP with retries, DynamoDB and S3.
        .target(
            name: "AWS",
            dependencies: [
                "DynamoModel", "HexCoding", "JSONCoding",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ExtrasBase64", package: "swift-extras-base64"),
                .product(name: "XMLCoder", package: "XMLCoder"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: settings
        ),
        // The agent's REST API generated from docs/agent-openapi.yaml by scripts/generate-agent-api: types, server, client.
        .target(
            name: "AgentAPI",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            exclude: ["openapi-generator-config.yaml"],
            swiftSettings: settings
        ),
        // SSTables read straight from S3 (plain copies, snapshots, cassandra-medusa backups) through ranged GETs.
        .target(
            name: "S3Source",
            dependencies: ["SSTable", "AWS", "DynamoModel", "JSONCoding", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: settings
        ),
        // The extraction agent: TLS REST service, persistent tasks, dashboard, SSH nodes, controller client.
        .target(
            name: "Agent",
            dependencies: [
                "SSTable", "AWS", "DynamoModel", "DynamoMapping", "Migration", "HexCoding", "AgentAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: settings
        ),
        // Extract → stage → S3 → DynamoDB (import or batch) → validate; checkpoints and progress.
        .target(
            name: "Migration",
            dependencies: [
                "CQL", "SSTable", "AWS", "DynamoModel", "DynamoMapping", "HexCoding", "JSONCoding", "CZlib", "CDeflate", "CZstd",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: settings
        ),
        // DynamoDB table design, type mapping, row → item conversion, assessment report.
        .target(
            name: "DynamoMapping",
            dependencies: [
                "CQL", "SSTable", "DynamoModel", "HexCoding",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "cass2dynamo",
            dependencies: [
                "CQL", "SSTable", "DynamoMapping", "SampleData",
                "Agent", "AgentAPI",
                "Migration", "AWS", "DynamoModel", "S3Source",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: settings
        ),

        .target(
            name: "TestSupport",
            dependencies: [
                "AWS", "SampleData",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: settings
        ),
        .testTarget(
            name: "AgentTests",
            dependencies: [
                "Agent", "AgentAPI", "AWS", "CQL", "DynamoMapping", "DynamoModel", "Migration", "SSTable", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "MigrationTests",
            dependencies: [
                "Migration", "DynamoMapping", "DynamoModel", "AWS", "SSTable", "CQL", "CZlib", "SampleData", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "DynamoMappingTests",
            dependencies: ["DynamoMapping", "DynamoModel", "CQL", "SSTable", "SampleData", "TestSupport", .product(name: "Yams", package: "Yams")],
            exclude: ["Golden"],
            swiftSettings: settings
        ),
        // The built binary's command line: option checks, exit statuses.
        .testTarget(name: "DynamoModelTests", dependencies: ["DynamoModel"], swiftSettings: settings),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", .product(name: "Yams", package: "Yams")], swiftSettings: settings),
        .testTarget(name: "CQLTests", dependencies: ["CQL", "HexCoding", "JSONCoding", "SampleData"], swiftSettings: settings),
        .testTarget(
            name: "SSTableTests", dependencies: ["SSTable", "CQL", "HexCoding", "SampleData", "TestSupport", "CLZ4", "CSnappy", "CZstd", "CZlib"],
            exclude: ["Fixtures"], swiftSettings: settings),
        .testTarget(
            name: "S3SourceTests",
            dependencies: ["S3Source", "SSTable", "AWS", "CQL", "SampleData", "TestSupport", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: settings
        ),
        .testTarget(
            name: "AWSTests",
            dependencies: [
                "AWS", "DynamoModel", "SampleData", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: settings
        ),
    ]
)
