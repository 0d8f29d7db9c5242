// swift-tools-version:6.1
// The benchmarks of issue 8: our bindings, RPC runtime and PostgreSQL layer side by side with
// swift-protobuf, grpc-swift-2 and pgbench. A package of its own, so the root package's build (and
// CI) never compiles the alternatives. Run it with `make bench` from the repository root.
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "mobilni-klic-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "mobilni-klic", path: "../.."),
        .package(url: "https://github.com/apple/swift-protobuf.git", exact: "1.39.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2.git", exact: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", exact: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", exact: "2.4.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", exact: "0.2.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // Code generated once by protoc (protoc-gen-swift, protoc-gen-grpc-swift-2) from the same
        // contracts as ours; regenerate with generate.sh, never at build time.
        .target(
            name: "BenchProtos",
            dependencies: [
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            ],
            path: "Sources/BenchProtos",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // libargon2 itself, for timing one hash outside the BOK service (the Argon2id limit).
        .systemLibrary(
            name: "BenchArgon2",
            path: "Sources/BenchArgon2",
            pkgConfig: "libargon2",
            providers: [.apt(["libargon2-dev"])]
        ),
        .executableTarget(
            name: "mk-bench",
            dependencies: [
                "BenchProtos",
                "BenchArgon2",
                .product(name: "MKMessages", package: "mobilni-klic"),
                .product(name: "MKRPC", package: "mobilni-klic"),
                .product(name: "MKPostgres", package: "mobilni-klic"),
                .product(name: "MKContracts", package: "mobilni-klic"),
                .product(name: "DeviceRegistry", package: "mobilni-klic"),
                .product(name: "MKEvents", package: "mobilni-klic"),
                .product(name: "Preferences", package: "mobilni-klic"),
                .product(name: "Bok", package: "mobilni-klic"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/mk-bench",
            swiftSettings: strictSettings
        ),
    ]
)
