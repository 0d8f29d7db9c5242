import MKMessages
import Testing

@testable import MKRPC

@Suite("Server deadlines")
struct ServerDeadlineTests {
    /// A request for `Block` (which waits until cancelled) with `tag` as its trace id.
    static func block(callID: UInt64, tag: String, timeoutMicros: UInt64) throws -> RPCFrame {
        let frame = try requestFrame(callID: callID, method: EchoMethods.block, tag: tag)
        guard case .request(var request) = frame else {
            throw RPCError(.internal, "requestFrame made no request")
        }
        request.timeoutMicros = timeoutMicros
        return .request(request)
    }

    /// Reads the next frame and checks that it answers `callID` with DEADLINE_EXCEEDED.
    static func expectDeadlineExceeded(_ callID: UInt64, on connection: inout RawConnection) async throws {
        let answer = try #require(try await connection.nextFrame())
        guard case .response(callID, .failure(let error)) = answer else {
            Issue.record("expected DEADLINE_EXCEEDED for call \(callID), got \(answer)")
            return
        }
        #expect(error.code == .deadlineExceeded)
    }

    /// Only the server's timer can answer here: a raw connection has no client deadline. A short
    /// deadline behind a long one on the same connection moves the connection's timer forward, and
    /// the timer is armed again for a call that arrives after it fired.
    @Test func shortDeadlinesExpireBesideALongOneOnTheSameConnection() async throws {
        let recorder = CallRecorder()
        try await withTimeout {
            try await withServer(services: [EchoService(recorder: recorder)]) { _, port in
                try await RawConnection.with(port: port) { connection in
                    try await connection.send(try Self.block(callID: 1, tag: "hour", timeoutMicros: 3_600_000_000))
                    await recorder.wait(for: .started("hour"))
                    try await connection.send(try Self.block(callID: 2, tag: "first", timeoutMicros: 100_000))
                    try await Self.expectDeadlineExceeded(2, on: &connection)
                    await recorder.wait(for: .cancelled("first"))

                    try await connection.send(try Self.block(callID: 3, tag: "second", timeoutMicros: 100_000))
                    try await Self.expectDeadlineExceeded(3, on: &connection)
                    await recorder.wait(for: .cancelled("second"))

                    // The hour-long call is still waiting, unanswered: the next frame answers call 4.
                    #expect(!recorder.contains(.cancelled("hour")))
                    try await connection.send(try requestFrame(callID: 4, tag: "echo"))
                    let answer = try #require(try await connection.nextFrame())
                    guard case .response(4, .success(let payload)) = answer else {
                        Issue.record("expected the echo of call 4, got \(answer)")
                        return
                    }
                    #expect(try MKMessagesShim.decodeMetadata(payload).traceId == "echo")
                    try await connection.send(.cancel(callID: 1))
                    await recorder.wait(for: .cancelled("hour"))
                }
            }
        }
    }
}
