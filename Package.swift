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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
    ],
    targets: [
        // C libraries from Debian: liblz4-dev, libsnappy-dev, libzstd-dev, zlib1g-dev.
        .systemLibrary(name: "CLZ4", path: "Sources/CLZ4"),
        .systemLibrary(name: "CSnappy", path: "Sources/CSnappy"),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),

        // CQL vocabulary: types, values, SELECT JSON encoding, schema model, DDL parser.
        .target(name: "CQL", swiftSettings: settings),
        // SSTable discovery, decompression, Statistics, the row readers and the merge.
        .target(
            name: "SSTable",
            dependencies: ["CQL", "CLZ4", "CSnappy", "CZstd", "CZlib"],
            swiftSettings: settings
        ),
        // AWS wire protocols: SigV4, credentials, HTTP with retries, DynamoDB and S3.
        .target(
            name: "AWS",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "cass2dynamo",
            dependencies: [
                "CQL", "SSTable",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: settings
        ),

        .testTarget(name: "CQLTests", dependencies: ["CQL"], swiftSettings: settings),
        .testTarget(
            name: "SSTableTests", dependencies: ["SSTable", "CQL", "CLZ4", "CSnappy", "CZstd", "CZlib"], swiftSettings: settings),
        .testTarget(
            name: "AWSTests",
            dependencies: [
                "AWS",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: settings
        ),
    ]
)
