import BenchProtos
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Histogram
import Logging
import MKMessages
import MKRPC
import NIOCore
import SwiftProtobuf

/// The RPC row: the same unary calls over our runtime, grpc-swift-2 (HTTP/2 transport), and a bare
/// SwiftNIO length-prefixed echo, all servers and clients in this process on loopback, interleaved.
enum RPCBenchmark {
    static let echo = RPCMethodDescriptor(service: "mk.bench.v1.Bench", method: "Echo", isIdempotent: true)
    static let listDevices = RPCMethodDescriptor(
        service: "mk.bench.v1.Bench", method: "ListDevices", isIdempotent: true)

    /// The echo request: one 36-character subject, as every registry read carries.
    static let subject = "nb-subject:3f2504e0-4f89-41d3-9a0c-0305e82c3301"

    /// `mk.bench.v1.Bench` on our runtime: Echo answers its request, ListDevices a fixed list.
    struct OurBenchService: RPCService {
        let list = CodecFixtures.ourList()

        var methodHandlers: [RPCMethodHandler] {
            let list = self.list
            return [
                RPCMethodHandler(descriptor: RPCBenchmark.echo) {
                    (request: MKMessages.Mk_Registry_V1_ListDevicesRequest, _) in request
                },
                RPCMethodHandler(descriptor: RPCBenchmark.listDevices) {
                    (_: MKMessages.Mk_Registry_V1_ListDevicesRequest, _) in list
                },
            ]
        }
    }

    /// The same service on grpc-swift-2.
    struct GRPCBenchService: Mk_Bench_V1_Bench.SimpleServiceProtocol {
        let list = CodecFixtures.theirList()

        func echo(
            request: BenchProtos.Mk_Registry_V1_ListDevicesRequest, context: GRPCCore.ServerContext
        ) async throws -> BenchProtos.Mk_Registry_V1_ListDevicesRequest {
            request
        }

        func listDevices(
            request: BenchProtos.Mk_Registry_V1_ListDevicesRequest, context: GRPCCore.ServerContext
        ) async throws -> BenchProtos.Mk_Registry_V1_ListDevicesResponse {
            list
        }
    }

    /// One contender alone for `slice`, for a profiler: `contender` is ours, grpc or nio, `call`
    /// echo or list.
    static func profile(contender: String, call: String, concurrency: Int, slice: Duration) async throws {
        _ = try await run(rounds: 1, slice: slice, concurrencies: [concurrency]) { calls in
            let selected: (@Sendable () async throws -> Void)? =
                switch (contender, call) {
                case ("ours", "echo"): calls.oursEcho
                case ("grpc", "echo"): calls.grpcEcho
                case ("nio", "echo"): calls.nioEcho
                case ("ours", "list"): calls.oursList
                case ("grpc", "list"): calls.grpcList
                default: nil
                }
            guard let selected else { throw BenchError("no contender \(contender) for \(call)") }
            let sample = try await LoadGenerator.run(concurrency: concurrency, for: slice, selected)
            print("\(contender) \(call) at \(concurrency): \(formatCount(sample.rate)) calls/s")
            return []
        }
    }

    static func run(rounds: Int, slice: Duration, concurrencies: [Int]) async throws -> [ReportRow] {
        try await run(rounds: rounds, slice: slice, concurrencies: concurrencies) { calls in
            try await measure(calls, rounds: rounds, slice: slice, concurrencies: concurrencies)
        }
    }

    static func run(
        rounds: Int, slice: Duration, concurrencies: [Int], _ body: @escaping (Calls) async throws -> [ReportRow]
    ) async throws -> [ReportRow] {
        var logger = Logger(label: "mk-bench")
        logger.logLevel = .error
        let ourServer = RPCServer(host: "127.0.0.1", port: 0, services: [OurBenchService()], logger: logger)
        let nioServer = try await BareNIOEcho.startServer()
        defer { nioServer.close(promise: nil) }

        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await ourServer.run() }
            defer { ourServer.beginGracefulShutdown() }
            let ourPort = try await ourServer.listeningPort()
            let ourClient = RPCClient(host: "127.0.0.1", port: ourPort, logger: logger)
            defer { ourClient.shutdown() }

            let ourRequest = MKMessages.Mk_Registry_V1_ListDevicesRequest(subject: subject)
            let theirRequest = BenchProtos.Mk_Registry_V1_ListDevicesRequest.with { $0.subject = subject }
            let nioClient = try await BareNIOEcho.Client(
                port: nioServer.localAddress!.port!, connections: RPCClient.Configuration().connections,
                payload: try ourRequest.serializedBytes())

            let rows = try await withGRPCServer(
                transport: .http2NIOPosix(
                    address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext),
                services: [GRPCBenchService()]
            ) { grpcServer in
                guard let grpcPort = try await grpcServer.transport.listeningAddress.ipv4?.port else {
                    throw BenchError("the gRPC server has no IPv4 port")
                }
                return try await withGRPCClient(
                    transport: .http2NIOPosix(
                        target: .ipv4(address: "127.0.0.1", port: grpcPort), transportSecurity: .plaintext)
                ) { grpcClient in
                    let grpc = Mk_Bench_V1_Bench.Client(wrapping: grpcClient)
                    let calls = Calls(
                        oursEcho: {
                            let response = try await ourClient.unary(
                                echo, request: ourRequest, responseType: MKMessages.Mk_Registry_V1_ListDevicesRequest.self,
                                options: RPCCallOptions())
                            guard response.subject.utf8.count == subject.utf8.count else { throw BenchError("bad echo") }
                        },
                        grpcEcho: {
                            let response = try await grpc.echo(theirRequest)
                            guard response.subject.utf8.count == subject.utf8.count else { throw BenchError("bad echo") }
                        },
                        nioEcho: { try await nioClient.call() },
                        oursList: {
                            let response = try await ourClient.unary(
                                listDevices, request: ourRequest,
                                responseType: MKMessages.Mk_Registry_V1_ListDevicesResponse.self, options: RPCCallOptions())
                            guard response.devices.count == 10 else { throw BenchError("bad list") }
                        },
                        grpcList: {
                            let response = try await grpc.listDevices(theirRequest)
                            guard response.devices.count == 10 else { throw BenchError("bad list") }
                        }
                    )
                    let rows = try await body(calls)
                    await nioClient.close()
                    return rows
                }
            }
            group.cancelAll()
            return rows
        }
    }

    struct Calls: Sendable {
        let oursEcho: @Sendable () async throws -> Void
        let grpcEcho: @Sendable () async throws -> Void
        let nioEcho: @Sendable () async throws -> Void
        let oursList: @Sendable () async throws -> Void
        let grpcList: @Sendable () async throws -> Void
    }

    /// For each call and concurrency: a warm-up, then rounds of ours, gRPC, NIO, ours, gRPC, NIO…
    static func measure(_ calls: Calls, rounds: Int, slice: Duration, concurrencies: [Int]) async throws
        -> [ReportRow]
    {
        var rows: [ReportRow] = []
        for concurrency in concurrencies {
            progress("rpc: unary echo, concurrency \(concurrency)")
            let echo = try await interleave(
                [calls.oursEcho, calls.grpcEcho, calls.nioEcho], concurrency: concurrency, rounds: rounds,
                slice: slice)
            let grpcP50 = echo[1].latencies?.valueAtPercentile(50) ?? 0
            let oursP99 = echo[0].latencies?.valueAtPercentile(99) ?? .max
            let p99Goal = concurrency == 32 ? ("ours p99 < gRPC p50", oursP99 < grpcP50) : nil
            rows.append(
                ReportRow(
                    area: "RPC", benchmark: "unary echo (\(subject.utf8.count)-byte subject), concurrency \(concurrency)",
                    unit: "calls/s", ours: echo[0], alternativeName: "grpc-swift-2 2.4.3 (HTTP/2, NIO transport 2.9.2)",
                    alternative: echo[1], goal: concurrency == 32 ? .atLeast(5) : .none, latencyGoal: p99Goal))
            rows.append(
                ReportRow(
                    area: "RPC", benchmark: "unary echo (\(subject.utf8.count)-byte subject), concurrency \(concurrency)",
                    unit: "calls/s", ours: echo[0], alternativeName: "bare SwiftNIO length-prefixed echo",
                    alternative: echo[2], goal: concurrency == 32 ? .atLeast(1 / 1.5) : .none))
            progress("rpc: ListDevices (10 keys from memory), concurrency \(concurrency)")
            let list = try await interleave(
                [calls.oursList, calls.grpcList], concurrency: concurrency, rounds: rounds, slice: slice)
            let listGrpcP50 = list[1].latencies?.valueAtPercentile(50) ?? 0
            let listOursP99 = list[0].latencies?.valueAtPercentile(99) ?? .max
            rows.append(
                ReportRow(
                    area: "RPC", benchmark: "ListDevices, 10 keys from memory, concurrency \(concurrency)",
                    unit: "calls/s", ours: list[0], alternativeName: "grpc-swift-2 2.4.3 (HTTP/2, NIO transport 2.9.2)",
                    alternative: list[1], goal: concurrency == 32 ? .atLeast(5) : .none,
                    latencyGoal: concurrency == 32 ? ("ours p99 < gRPC p50", listOursP99 < listGrpcP50) : nil))
        }
        return rows
    }

    /// A short warm-up of each contender, then `rounds` rounds of all contenders in order.
    static func interleave(
        _ contenders: [@Sendable () async throws -> Void], concurrency: Int, rounds: Int, slice: Duration
    ) async throws -> [Measurement] {
        for call in contenders {
            _ = try await LoadGenerator.run(concurrency: concurrency, for: slice / 4, call)
        }
        var samples = Array(repeating: [Sample](), count: contenders.count)
        for _ in 0..<rounds {
            for (index, call) in contenders.enumerated() {
                samples[index].append(try await LoadGenerator.run(concurrency: concurrency, for: slice, call))
            }
        }
        return samples.map { Measurement(samples: $0) }
    }
}
