import MKMessages
import NIOCore
import NIOPosix
import Testing

@testable import MKRPC

@Suite("Client and server over TCP")
struct ClientServerTests {
    @Test func thousandConcurrentCallsOverOneConnection() async throws {
        let configuration = RPCServer.Configuration(maximumConcurrentCalls: 2_000)
        try await withTimeout(.seconds(60)) {
            try await withServer(services: [EchoService()], configuration: configuration) { _, port in
                try await withClient(port: port, configuration: RPCClient.Configuration(connections: 1)) { client in
                    try await withThrowingTaskGroup(of: (Int, String).self) { group in
                        for index in 0..<1_000 {
                            group.addTask {
                                let response = try await client.call(
                                    EchoMethods.echo, Mk_Rpc_V1_Metadata(traceId: "call-\(index)"))
                                return (index, response.traceId)
                            }
                        }
                        var answered = 0
                        for try await (index, echoed) in group {
                            #expect(echoed == "call-\(index)")
                            answered += 1
                        }
                        #expect(answered == 1_000)
                    }
                }
            }
        }
    }

    @Test func handlersRunOnTheConnectionsEventLoop() async throws {
        // No hop to the cooperative pool and back per call: the handler starts on the loop its
        // frame arrived on, and comes back to it after awaiting something else.
        try await withTimeout {
            try await withServer(services: [EchoService()]) { _, port in
                try await withClient(port: port) { client in
                    let answer = try await client.call(EchoMethods.whereRuns)
                    #expect(answer.traceId == "loop,loop")
                }
            }
        }
    }

    @Test func aCallerOnAConnectionsEventLoopCallsOverThatConnection() async throws {
        // Sending the call and resuming its caller then wake no other thread.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        try await withTimeout {
            try await withServer(services: [EchoService()]) { _, port in
                let client = RPCClient(
                    host: "127.0.0.1", port: port, configuration: RPCClient.Configuration(connections: 2),
                    eventLoopGroup: group, logger: testLogger)
                defer { client.shutdown() }
                // From the cooperative pool, calls go round-robin: both connections open, one per loop.
                for _ in 0..<2 { _ = try await client.call(EchoMethods.echo) }
                for loop in group.makeIterator() {
                    let onItsLoop = try await Task(executorPreference: RPCEventLoopExecutor(eventLoop: loop)) {
                        var onItsLoop: [Bool] = []
                        for index in 0..<6 {
                            let answer = try await client.call(
                                EchoMethods.echo, Mk_Rpc_V1_Metadata(traceId: "\(index)"))
                            #expect(answer.traceId == "\(index)")
                            let connection = try await client.pool.connection(until: .now + .seconds(5))
                            onItsLoop.append(connection.channel.eventLoop === loop && loop.inEventLoop)
                        }
                        return onItsLoop
                    }.value
                    #expect(onItsLoop == Array(repeating: true, count: 6))
                }
            }
        }
        try await group.shutdownGracefully()
    }

    @Test func answersArriveOutOfOrder() async throws {
        let recorder = CallRecorder()
        try await withTimeout {
            try await withServer(services: [EchoService(recorder: recorder)]) { _, port in
                try await withClient(port: port, configuration: RPCClient.Configuration(connections: 1)) { client in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            let slow = try await client.call(EchoMethods.block, Mk_Rpc_V1_Metadata(traceId: "slow"))
                            #expect(slow.traceId == "slow")
                        }
                        await recorder.wait(for: .started("slow"))
                        // The slow call holds the only connection's first call id; the fast one
                        // still gets its answer first.
                        let fast = try await client.call(EchoMethods.echo, Mk_Rpc_V1_Metadata(traceId: "fast"))
                        #expect(fast.traceId == "fast")
                        #expect(!recorder.contains(.finished("slow")))
                        recorder.open("slow")
                        try await group.waitForAll()
                    }
                }
            }
        }
    }

    @Test func passedDeadlineAnswersDeadlineExceededAndCancelsTheHandler() async throws {
        let recorder = CallRecorder()
        try await withTimeout {
            try await withServer(services: [EchoService(recorder: recorder)]) { _, port in
                try await withClient(port: port) { client in
                    let error = await rpcError {
                        _ = try await client.call(
                            EchoMethods.block, Mk_Rpc_V1_Metadata(traceId: "late"), timeout: .milliseconds(200))
                    }
                    #expect(error?.code == .deadlineExceeded)
                    await recorder.wait(for: .cancelled("late"))
                }
            }
        }
    }

    @Test func cancellingTheCallerCancelsTheHandler() async throws {
        let recorder = CallRecorder()
        try await withTimeout {
            try await withServer(services: [EchoService(recorder: recorder)]) { _, port in
                try await withClient(port: port) { client in
                    let call = Task {
                        await rpcError {
                            _ = try await client.call(EchoMethods.block, Mk_Rpc_V1_Metadata(traceId: "abandoned"))
                        }
                    }
                    await recorder.wait(for: .started("abandoned"))
                    call.cancel()
                    let actual80 = await call.value?.code
                    #expect(actual80 == .cancelled)
                    await recorder.wait(for: .cancelled("abandoned"))
                }
            }
        }
    }

    @Test func expiredDeadlineFailsWithoutSending() async throws {
        try await withTimeout {
            try await withServer(services: [EchoService()]) { _, port in
                try await withClient(port: port) { client in
                    let past = ContinuousClock.now.advanced(by: .seconds(-1))
                    let error = await RPCTaskContext.$deadline.withValue(past) {
                        await rpcError { _ = try await client.call(EchoMethods.echo) }
                    }
                    #expect(error?.code == .deadlineExceeded)
                }
            }
        }
    }

    @Test func unknownMethodIsUnimplemented() async throws {
        try await withTimeout {
            try await withServer(services: [EchoService()]) { _, port in
                try await withClient(port: port) { client in
                    let error = await rpcError { _ = try await client.call(EchoMethods.missing) }
                    #expect(error?.code == .unimplemented)
                }
            }
        }
    }

    @Test func domainErrorKeepsItsCodeMessageAndReason() async throws {
        try await withTimeout {
            try await withServer(services: [EchoService()]) { _, port in
                try await withClient(port: port) { client in
                    let error = await rpcError {
                        _ = try await client.call(EchoMethods.fail, Mk_Rpc_V1_Metadata(traceId: "domain"))
                    }
                    #expect(error == RPCError(.notFound, "No such device", reason: "DEVICE_NOT_FOUND"))
                }
            }
        }
    }

    @Test func unexpectedErrorIsInternalWithoutDetail() async throws {
        try await withTimeout {
            try await withServer(services: [EchoService()]) { _, port in
                try await withClient(port: port) { client in
                    let error = await rpcError {
                        _ = try await client.call(EchoMethods.fail, Mk_Rpc_V1_Metadata(traceId: "other"))
                    }
                    #expect(error == RPCError(.internal, "internal error"))
                    #expect(error?.description.contains("hunter2") == false)
                }
            }
        }
    }

    @Test func callsPastTheConcurrencyLimitAreRefused() async throws {
        let recorder = CallRecorder()
        let configuration = RPCServer.Configuration(maximumConcurrentCalls: 2)
        try await withTimeout {
            try await withServer(services: [EchoService(recorder: recorder)], configuration: configuration) { _, port in
                try await withClient(port: port) { client in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for tag in ["held-1", "held-2"] {
                            group.addTask {
                                _ = try await client.call(EchoMethods.block, Mk_Rpc_V1_Metadata(traceId: tag))
                            }
                        }
                        await recorder.wait(for: .started("held-1"))
                        await recorder.wait(for: .started("held-2"))
                        let error = await rpcError { _ = try await client.call(EchoMethods.echo) }
                        #expect(error?.code == .resourceExhausted)
                        recorder.open("held-1")
                        recorder.open("held-2")
                        try await group.waitForAll()
                        // Slots are given back.
                        let actual153 = try await client.call(EchoMethods.echo, Mk_Rpc_V1_Metadata(traceId: "after"))
                            .traceId
                        #expect(actual153 == "after")
                    }
                }
            }
        }
    }

    @Test func connectionsPastTheLimitAreClosed() async throws {
        let configuration = RPCServer.Configuration(maximumConnections: 1)
        try await withTimeout {
            try await withServer(services: [EchoService()], configuration: configuration) { _, port in
                try await withClient(port: port, configuration: RPCClient.Configuration(connections: 1)) { client in
                    // The client's connection is open (a call answered on it).
                    _ = try await client.call(EchoMethods.echo)
                    let closed = try await RawConnection.with(port: port) { connection in
                        await connection.waitForClose()
                    }
                    #expect(closed)
                    // The admitted connection still serves.
                    let actual172 = try await client.call(EchoMethods.echo, Mk_Rpc_V1_Metadata(traceId: "x")).traceId
                    #expect(actual172 == "x")
                }
            }
        }
    }

    @Test func deadlineAndTraceIDPropagateDownstream() async throws {
        try await withTimeout {
            try await withServer(services: [EchoService()]) { _, downstreamPort in
                let downstream = RPCClient(
                    host: "127.0.0.1",
                    port: downstreamPort,
                    configuration: RPCClient.Configuration(defaultTimeout: .seconds(60), callerName: "middle"),
                    logger: testLogger
                )
                defer { downstream.shutdown() }
                return try await withServer(services: [EchoService(downstream: downstream)]) { _, port in
                    try await withClient(port: port) { client in
                        let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
                        let seen = try await client.call(
                            EchoMethods.forward,
                            timeout: .seconds(2),
                            metadata: RPCMetadata(traceID: traceID)
                        )
                        #expect(seen.traceId == traceID)
                        #expect(seen.caller == "middle")
                        // The downstream handler's deadline is the caller's 2 s, not the 60 s default.
                        let millisecondsLeft = try #require(Int(seen.idempotencyKey))
                        #expect(millisecondsLeft > 0)
                        #expect(millisecondsLeft <= 2_000)
                    }
                }
            }
        }
    }

    @Test func healthAnswersServingStatus() async throws {
        try await withTimeout {
            try await withServer(services: [EchoService()]) { server, port in
                try await withClient(port: port) { client in
                    func check(_ service: String) async throws -> Mk_Rpc_V1_ServingStatus {
                        try await client.unary(
                            RPCServer.healthCheckMethod,
                            request: Mk_Rpc_V1_HealthCheckRequest(service: service),
                            responseType: Mk_Rpc_V1_HealthCheckResponse.self,
                            options: RPCCallOptions()
                        ).status
                    }
                    let actual220 = try await check("")
                    #expect(actual220 == .serving)
                    let actual221 = try await check(EchoMethods.service)
                    #expect(actual221 == .serving)
                    let error = await rpcError { _ = try await check("mk.nope.v1.Nope") }
                    #expect(error?.code == .notFound)
                    server.servingStatus = .notServing
                    let actual225 = try await check("")
                    #expect(actual225 == .notServing)
                }
            }
        }
    }

    @Test func idleConnectionIsClosedButLongCallIsNot() async throws {
        let configuration = RPCServer.Configuration(idleTimeout: .milliseconds(200))
        try await withTimeout {
            try await withServer(services: [EchoService()], configuration: configuration) { _, port in
                let closed = try await RawConnection.with(port: port) { connection in
                    await connection.waitForClose()
                }
                #expect(closed)
                try await withClient(port: port, configuration: RPCClient.Configuration(connections: 1)) { client in
                    let answer = try await client.call(
                        EchoMethods.slow, Mk_Rpc_V1_Metadata(traceId: "long", caller: "700"))
                    #expect(answer.traceId == "long")
                }
            }
        }
    }

    @Test func stalledFrameClosesTheConnection() async throws {
        let configuration = RPCServer.Configuration(frameTimeout: .milliseconds(200))
        try await withTimeout {
            try await withServer(services: [EchoService()], configuration: configuration) { _, port in
                let closed = try await RawConnection.with(port: port) { connection in
                    try await connection.send([0, 0, 0, 100, 1, 2, 3])
                    return await connection.waitForClose()
                }
                #expect(closed)
            }
        }
    }
}
