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
        // Libraries the separate benchmark package (Tests/Benchmarks) builds against.
        .library(name: "MKMessages", targets: ["MKMessages"]),
        .library(name: "MKRPC", targets: ["MKRPC"]),
        .library(name: "MKPostgres", targets: ["MKPostgres"]),
        .library(name: "MKContracts", targets: ["MKContracts"]),
        .library(name: "DeviceRegistry", targets: ["DeviceRegistry"]),
        .library(name: "MKEvents", targets: ["MKEvents"]),
        .library(name: "Preferences", targets: ["Preferences"]),
        .library(name: "Bok", targets: ["Bok"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        // Already resolved through jwt-kit; the gateway encodes its cookies and tokens with it.
        .package(url: "https://github.com/swift-extras/swift-extras-base64.git", from: "1.2.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // Already resolved through async-http-client; named for the Preferences tests' HTTP/2 push provider.
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
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
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
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
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/MKPostgres",
            swiftSettings: strictSettings
        ),

        // MARK: Service runtime shared by every executable
        .target(
            name: "MKServiceRuntime",
            dependencies: [
                "MKRPC",
                "MKPostgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "Shared/MKServiceRuntime",
            swiftSettings: strictSettings
        ),

        // MARK: Events: transactional outbox, relay and consumer inbox
        .target(
            name: "MKEvents",
            dependencies: [
                "MKMessages",
                "MKContracts",
                "MKRPC",
                "MKPostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/MKEvents",
            swiftSettings: strictSettings
        ),

        // MARK: Device Registry
        .target(
            name: "DeviceRegistry",
            dependencies: [
                "MKMessages",
                "MKContracts",
                "MKRPC",
                "MKPostgres",
                "MKEvents",
                "MKServiceRuntime",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/DeviceRegistry/Library",
            resources: [.copy("Migrations")],
            swiftSettings: strictSettings
        ),

        .executableTarget(
            name: "device-registry",
            dependencies: [
                "DeviceRegistry",
                "MKEvents",
                "MKPostgres",
                "MKRPC",
                "MKServiceRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/DeviceRegistry/Executable",
            swiftSettings: strictSettings
        ),

        // MARK: Preferences
        .systemLibrary(
            name: "CCurl",
            path: "Services/Preferences/CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "Preferences",
            dependencies: [
                "CCurl",
                "MKMessages",
                "MKContracts",
                "MKRPC",
                "MKPostgres",
                "MKEvents",
                "MKServiceRuntime",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Preferences/Library",
            resources: [.copy("Migrations")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "preferences",
            dependencies: [
                "Preferences",
                "MKPostgres",
                "MKRPC",
                "MKServiceRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Preferences/Executable",
            swiftSettings: strictSettings
        ),

        // MARK: BOK
        .systemLibrary(
            name: "CArgon2",
            path: "Services/Bok/CArgon2",
            pkgConfig: "libargon2",
            providers: [.apt(["libargon2-dev"])]
        ),
        .target(
            name: "Bok",
            dependencies: [
                "CArgon2",
                "MKMessages",
                "MKContracts",
                "MKRPC",
                "MKPostgres",
                "MKEvents",
                "MKServiceRuntime",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Bok/Library",
            resources: [.copy("Migrations")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "bok",
            dependencies: [
                "Bok",
                "MKEvents",
                "MKPostgres",
                "MKRPC",
                "MKServiceRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Bok/Executable",
            swiftSettings: strictSettings
        ),

        // MARK: Gateway
        .systemLibrary(
            name: "CQREncode",
            path: "Services/Gateway/CQREncode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]
        ),
        .target(
            name: "Gateway",
            dependencies: [
                "CQREncode",
                "MKMessages",
                "MKContracts",
                "MKRPC",
                "MKServiceRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "ExtrasBase64", package: "swift-extras-base64"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            path: "Services/Gateway/Library",
            resources: [.copy("Resources/openapi.json")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "gateway",
            dependencies: [
                "Gateway",
                "MKRPC",
                "MKServiceRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Gateway/Executable",
            swiftSettings: strictSettings
        ),
        .target(
            name: "MobileKeySimulator",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Services/Gateway/SimulatorLibrary",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "mk-simulator",
            dependencies: [
                "MobileKeySimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Services/Gateway/Simulator",
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
            dependencies: [
                "MKPostgres", "MKRPC", "MKServiceRuntime",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/MKTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MKMessagesTests",
            dependencies: ["MKMessages", "MKContracts", "MKRPC", "CMKProto", "MKTestSupport"],
            path: "Tests/MKMessagesTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MKProtoGeneratorTests",
            dependencies: ["MKProtoGenerator", "CMKProto", "CProtobufC", "MKTestSupport"],
            path: "Tests/MKProtoGeneratorTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MKRPCTests",
            dependencies: [
                "MKRPC",
                "MKMessages",
                "MKServiceRuntime",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ] + nio,
            path: "Tests/MKRPCTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MKPostgresTests",
            dependencies: ["MKPostgres", "MKTestSupport"],
            path: "Tests/MKPostgresTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MKEventsTests",
            dependencies: [
                "MKEvents", "MKContracts", "MKMessages", "MKPostgres", "MKRPC", "MKServiceRuntime", "MKTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ] + nio,
            path: "Tests/MKEventsTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DeviceRegistryTests",
            dependencies: [
                "DeviceRegistry", "Preferences", "MKContracts", "MKEvents", "MKMessages", "MKPostgres", "MKRPC",
                "MKServiceRuntime", "MKTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ] + nio,
            path: "Tests/DeviceRegistryTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PreferencesTests",
            dependencies: [
                "Preferences", "MKContracts", "MKMessages", "MKPostgres", "MKRPC", "MKEvents", "MKServiceRuntime",
                "MKTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ] + nio,
            path: "Tests/PreferencesTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "MobileKeySimulator", "DeviceRegistry", "MKContracts", "MKMessages", "MKRPC",
                "MKPostgres", "MKServiceRuntime", "MKTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ] + nio,
            path: "Tests/GatewayTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BokTests",
            dependencies: [
                "Bok", "DeviceRegistry", "Preferences", "MKContracts", "MKEvents", "MKMessages", "MKPostgres", "MKRPC",
                "MKServiceRuntime", "MKTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/BokTests",
            swiftSettings: strictSettings
        ),
    ]
)
