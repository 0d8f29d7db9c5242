import MKMessages
import NIOCore
import ServiceLifecycle
import Testing

@testable import MKRPC

@Suite("Server lifecycle and client reconnection")
struct LifecycleTests {
    @Test func gracefulShutdownDrainsTheCallInFlight() async throws {
        let recorder = CallRecorder()
        let server = RPCServer(
            host: "127.0.0.1",
            port: 0,
            services: [EchoService(recorder: recorder)],
            configuration: RPCServer.Configuration(drainTimeout: .seconds(60)),
            logger: testLogger
        )
        let group = ServiceGroup(services: [server], logger: testLogger)
        try await withTimeout {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let port = try #require(try await server.listeningAddress().port)
                try await withClient(port: port, configuration: RPCClient.Configuration(connections: 1)) { client in
                    tasks.addTask {
                        let answer = try await client.call(EchoMethods.block, Mk_Rpc_V1_Metadata(traceId: "draining"))
                        #expect(answer.traceId == "draining")
                    }
                    await recorder.wait(for: .started("draining"))
                    await group.triggerGracefulShutdown()
                    // The group hands the shutdown to the server asynchronously: wait until it began.
                    while server.servingStatus != .notServing {
                        try await Task.sleep(for: .milliseconds(5))
                    }

                    // Health still answers on the open connection, and says NOT_SERVING.
                    let health = try await client.unary(
                        RPCServer.healthCheckMethod,
                        request: Mk_Rpc_V1_HealthCheckRequest(),
                        responseType: Mk_Rpc_V1_HealthCheckResponse.self,
                        options: RPCCallOptions()
                    )
                    #expect(health.status == .notServing)
                    // New calls are refused.
                    let refused = await rpcError { _ = try await client.call(EchoMethods.echo) }
                    #expect(refused?.code == .unavailable)

                    // The call in flight still completes, then the server stops.
                    recorder.open("draining")
                    try await tasks.waitForAll()
                    #expect(recorder.contains(.finished("draining")))
                }
            }
        }
    }

    @Test func clientPoolSurvivesAServerRestart() async throws {
        let clientConfiguration = RPCClient.Configuration(
            connections: 2,
            reconnectBackoff: RPCBackoff(initial: .milliseconds(50), maximum: .milliseconds(500))
        )
        try await withTimeout(.seconds(60)) {
            let first = RPCServer(host: "127.0.0.1", port: 0, services: [EchoService()], logger: testLogger)
            let firstRun = Task { try await first.run() }
            let port = try #require(try await first.listeningAddress().port)
            try await withClient(port: port, configuration: clientConfiguration) { client in
                let actual62 = try await client.call(EchoMethods.echo, Mk_Rpc_V1_Metadata(traceId: "before")).traceId
                #expect(actual62 == "before")

                firstRun.cancel()
                _ = await firstRun.result
                let down = await rpcError { _ = try await client.call(EchoMethods.echo) }
                #expect(down?.code == .unavailable)

                let second = RPCServer(host: "127.0.0.1", port: port, services: [EchoService()], logger: testLogger)
                let secondRun = Task { try await second.run() }
                defer { secondRun.cancel() }
                _ = try await second.listeningAddress()
                while true {
                    do {
                        let answer = try await client.call(EchoMethods.echo, Mk_Rpc_V1_Metadata(traceId: "after"))
                        #expect(answer.traceId == "after")
                        break
                    } catch let error as RPCError where error.code == .unavailable {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                }
            }
        }
    }

    @Test func shutDownClientFailsCallsUnavailable() async throws {
        try await withTimeout {
            try await withServer(services: [EchoService()]) { _, port in
                let client = RPCClient(host: "127.0.0.1", port: port, logger: testLogger)
                _ = try await client.call(EchoMethods.echo)
                client.shutdown()
                let error = await rpcError { _ = try await client.call(EchoMethods.echo) }
                #expect(error?.code == .unavailable)
            }
        }
    }

    @Test func nothingListeningIsUnavailable() async throws {
        // Bind a server to learn a free port, then stop it.
        let port = try await withServer(services: []) { _, port in port }
        try await withTimeout {
            try await withClient(port: port) { client in
                let error = await rpcError { _ = try await client.call(EchoMethods.echo) }
                #expect(error?.code == .unavailable)
            }
        }
    }

    @Test func droppedConnectionFailsTheCallInFlightUnavailableWithoutRetry() async throws {
        let recorder = CallRecorder()
        try await withTimeout {
            let server = RPCServer(
                host: "127.0.0.1", port: 0, services: [EchoService(recorder: recorder)], logger: testLogger)
            let running = Task { try await server.run() }
            let port = try await server.listeningPort()
            try await withClient(port: port) { client in
                let call = Task {
                    await rpcError {
                        _ = try await client.call(EchoMethods.block, Mk_Rpc_V1_Metadata(traceId: "dropped"))
                    }
                }
                await recorder.wait(for: .started("dropped"))
                running.cancel()
                // Block is not idempotent and its request was sent: UNAVAILABLE, not retried.
                let error = await call.value
                #expect(error?.code == .unavailable)
                await recorder.wait(for: .cancelled("dropped"))
                _ = await running.result
            }
        }
    }

    @Test func requestLargerThanTheFrameLimitIsRefusedBeforeSending() async throws {
        try await withTimeout {
            try await withServer(services: [EchoService()]) { _, port in
                try await withClient(port: port, configuration: RPCClient.Configuration(maximumFrameSize: 1_024)) {
                    client in
                    let big = Mk_Rpc_V1_Metadata(traceId: String(repeating: "x", count: 2_000))
                    let error = await rpcError { _ = try await client.call(EchoMethods.echo, big) }
                    #expect(error?.code == .resourceExhausted)
                }
            }
        }
    }

    @Test func servingStatusStaysNotServingAfterShutdownBegan() async throws {
        let server = RPCServer(host: "127.0.0.1", port: 0, services: [], logger: testLogger)
        server.beginGracefulShutdown()
        server.servingStatus = .serving
        #expect(server.servingStatus == .notServing)
        // A server shut down before it ran returns at once.
        try await withTimeout { try await server.run() }
    }
}
