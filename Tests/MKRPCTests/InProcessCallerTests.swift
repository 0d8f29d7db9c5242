import MKMessages
import Testing

@testable import MKRPC

@Suite("In-process caller")
struct InProcessCallerTests {
    @Test func callsRoundTripThroughEncoding() async throws {
        let caller = RPCInProcessCaller(services: [EchoService()], callerName: "tests", logger: testLogger)
        let actual9 = try await caller.call(EchoMethods.echo, Mk_Rpc_V1_Metadata(traceId: "x")).traceId
        #expect(actual9 == "x")
        let seen = try await caller.call(EchoMethods.inspect)
        #expect(seen.caller == "tests")
        #expect(RPCCallSetup.isValidTraceID(seen.traceId))
    }

    @Test func errorsMapLikeTheServer() async throws {
        let caller = RPCInProcessCaller(services: [EchoService()], logger: testLogger)
        let domain = await rpcError {
            _ = try await caller.call(EchoMethods.fail, Mk_Rpc_V1_Metadata(traceId: "domain"))
        }
        #expect(domain?.reason == "DEVICE_NOT_FOUND")
        let other = await rpcError { _ = try await caller.call(EchoMethods.fail) }
        #expect(other == RPCError(.internal, "internal error"))
        let missing = await rpcError { _ = try await caller.call(EchoMethods.missing) }
        #expect(missing?.code == .unimplemented)
    }

    @Test func deadlineCancelsTheHandler() async throws {
        let recorder = CallRecorder()
        let caller = RPCInProcessCaller(services: [EchoService(recorder: recorder)], logger: testLogger)
        try await withTimeout {
            let error = await rpcError {
                _ = try await caller.call(
                    EchoMethods.block, Mk_Rpc_V1_Metadata(traceId: "t"), timeout: .milliseconds(100))
            }
            #expect(error?.code == .deadlineExceeded)
            #expect(recorder.contains(.cancelled("t")))
        }
    }

    @Test func taskCancellationIsCancelled() async throws {
        let recorder = CallRecorder()
        let caller = RPCInProcessCaller(services: [EchoService(recorder: recorder)], logger: testLogger)
        try await withTimeout {
            let call = Task {
                await rpcError { _ = try await caller.call(EchoMethods.block, Mk_Rpc_V1_Metadata(traceId: "c")) }
            }
            await recorder.wait(for: .started("c"))
            call.cancel()
            let actual44 = await call.value?.code
            #expect(actual44 == .cancelled)
            #expect(recorder.contains(.cancelled("c")))
        }
    }
}
