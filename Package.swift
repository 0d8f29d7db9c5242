// swift-tools-version:6.1
// Mobilní klíč: the Device Registry, Preferences and BOK services, their gateway, and the shared
// libraries they stand on (protocol bindings over protobuf-c, the RPC runtime, the libpq layer).
import PackageDescription

/// Swift 6 mode everywhere, plus the upcoming features STYLE.md asks for.
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let nio: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
]

let package = Package(
    name: "mobilni-klic",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mk-protogen", targets: ["mk-protogen"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-atomics.git", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // MARK: C libraries and shims
        .systemLibrary(
            name: "CProtobufC",
            path: "Shared/CProtobufC",
            pkgConfig: "libprotobuf-c",
            providers: [.apt(["libprotobuf-c-dev"])]
        ),
        .systemLibrary(
            name: "CLibPQ",
            path: "Shared/CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "CMKProto",
            dependencies: ["CProtobufC"],
            path: "Shared/CMKProto"
        ),

        // MARK: Protocol bindings, RPC runtime, PostgreSQL layer
        .target(
            name: "MKMessages",
            dependencies: ["CMKProto", "CProtobufC"],
            path: "Shared/MKMessages",
            swiftSettings: strictSettings
        ),
        .target(
            name: "MKRPC",
            dependencies: [
                "MKMessages",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ] + nio,
            path: "Shared/MKRPC",
            swiftSettings: strictSettings
        ),
        .target(
            name: "MKContracts",
            dependencies: ["MKMessages", "MKRPC"],
            path: "Shared/MKContracts",
            swiftSettings: strictSettings
        ),
        .target(
            name: "MKPostgres",
            dependencies: [
                "CLibPQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Shared/MKPostgres",
            swiftSettings: strictSettings
        ),

        // MARK: Code generation
        .target(
            name: "MKProtoGenerator",
            dependencies: ["CMKProto", "CProtobufC"],
            path: "Shared/MKProtoGenerator",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "mk-protogen",
            dependencies: [
                "MKProtoGenerator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Shared/mk-protogen",
            swiftSettings: strictSettings
        ),

        // MARK: Tests
        .target(
            name: "MKTestSupport",
            dependencies: ["MKPostgres"],
            path: "Tests/MKTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MKMessagesTests",
            dependencies: ["MKMessages", "MKTestSupport"],
            path: "Tests/MKMessagesTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MKProtoGeneratorTests",
            dependencies: ["MKProtoGenerator", "MKTestSupport"],
            path: "Tests/MKProtoGeneratorTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MKRPCTests",
            dependencies: ["MKRPC", "MKContracts", "MKTestSupport"] + nio,
            path: "Tests/MKRPCTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MKPostgresTests",
            dependencies: ["MKPostgres", "MKTestSupport"],
            path: "Tests/MKPostgresTests",
            swiftSettings: strictSettings
        ),
    ]
)
