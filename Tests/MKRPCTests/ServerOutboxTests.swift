import NIOCore
import Testing

@testable import MKRPC

@Suite("Server outbox batching")
struct ServerOutboxTests {
    static func completion(_ callID: UInt64) -> RPCServerOutbox.Completion {
        RPCServerOutbox.Completion(callID: callID, frame: ByteBuffer(), code: .ok)
    }

    @Test func onlyThePostThatFindsTheOutboxIdleSchedulesADrain() {
        let outbox = RPCServerOutbox()
        #expect(outbox.post(Self.completion(1)))
        #expect(!outbox.post(Self.completion(2)))
        #expect(!outbox.post(Self.completion(3)))
        #expect(outbox.take().map(\.callID) == [1, 2, 3])
        // Taken: the next completion needs a new drain, and finds only itself.
        #expect(outbox.post(Self.completion(4)))
        #expect(outbox.take().map(\.callID) == [4])
        #expect(outbox.take().isEmpty)
    }
}
