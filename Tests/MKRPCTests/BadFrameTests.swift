import MKMessages
import NIOCore
import Testing

@testable import MKRPC

@Suite("Malformed input on a raw socket")
struct BadFrameTests {
    /// A deterministic generator, so the "random bytes" case is the same every run.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            self.state &+= 0x9E37_79B9_7F4A_7C15
            var z = self.state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func header(_ length: UInt32) -> [UInt8] {
        withUnsafeBytes(of: length.bigEndian) { Array($0) }
    }

    static func envelopeBytes(_ envelope: Mk_Rpc_V1_Envelope) -> [UInt8] {
        let body = (try? envelope.serializedBytes()) ?? []
        return header(UInt32(body.count)) + body
    }

    static let closingInputs: [(String, [UInt8])] = {
        var random = SplitMix64(state: 2_024)
        let validBody =
            (try? Mk_Rpc_V1_Envelope(kind: .request, callId: 1, method: EchoMethods.echo.fullName).serializedBytes())
            ?? []
        return [
            ("garbage", header(5) + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF]),
            ("truncated envelope", header(UInt32(validBody.count - 3)) + validBody.dropLast(3)),
            ("length 0", header(0)),
            ("length 2^32-1", header(UInt32.max)),
            ("length just over the maximum", header(65_537)),
            ("random bytes", (0..<4_096).map { _ in UInt8.random(in: 0...255, using: &random) }),
            (
                "call id 0",
                envelopeBytes(Mk_Rpc_V1_Envelope(kind: .request, callId: 0, method: EchoMethods.echo.fullName))
            ),
            ("unspecified kind", envelopeBytes(Mk_Rpc_V1_Envelope(kind: .unspecified, callId: 3))),
            (
                "response from a client",
                envelopeBytes(Mk_Rpc_V1_Envelope(kind: .response, callId: 3, status: Mk_Rpc_V1_Status()))
            ),
        ]
    }()

    @Test(arguments: Self.closingInputs.map(\.0))
    func badInputClosesOnlyItsConnection(name: String) async throws {
        let bytes = try #require(Self.closingInputs.first { $0.0 == name }?.1)
        try await withTimeout {
            try await withServer(services: [EchoService()]) { _, port in
                try await withClient(port: port, configuration: RPCClient.Configuration(connections: 1)) { client in
                    _ = try await client.call(EchoMethods.echo)
                    let closed = try await RawConnection.with(port: port) { connection in
                        try await connection.send(bytes)
                        return await connection.waitForClose()
                    }
                    #expect(closed, "\(name) should close the connection")
                    // The server and the other client's connection carry on.
                    let actual58 = try await client.call(EchoMethods.echo, Mk_Rpc_V1_Metadata(traceId: name)).traceId
                    #expect(actual58 == name)
                }
            }
        }
    }

    @Test func halfSentFrameThenCloseLeavesTheServerServing() async throws {
        try await withTimeout {
            try await withServer(services: [EchoService()]) { _, port in
                try await RawConnection.with(port: port) { connection in
                    try await connection.send(Self.header(100) + Array(repeating: 1, count: 10))
                }
                try await withClient(port: port) { client in
                    let actual71 = try await client.call(EchoMethods.echo, Mk_Rpc_V1_Metadata(traceId: "ok")).traceId
                    #expect(actual71 == "ok")
                }
            }
        }
    }

    @Test func frameDrippedOneByteAtATimeIsAnswered() async throws {
        try await withTimeout {
            try await withServer(services: [EchoService()]) { _, port in
                try await RawConnection.with(port: port) { connection in
                    var frame = try RPCEnvelopeCodec.encode(
                        try requestFrame(callID: 5, tag: "drip"), maximumFrameSize: 65_536)
                    while let byte = frame.readInteger(as: UInt8.self) {
                        try await connection.send([byte])
                    }
                    let answer = try #require(try await connection.nextFrame())
                    guard case .response(5, .success(let payload)) = answer else {
                        Issue.record("unexpected answer \(answer)")
                        return
                    }
                    #expect(try MKMessagesShim.decodeMetadata(payload).traceId == "drip")
                }
            }
        }
    }

    @Test func fiftyFramesInOneWriteAreAllAnswered() async throws {
        try await withTimeout {
            try await withServer(services: [EchoService()]) { _, port in
                try await RawConnection.with(port: port) { connection in
                    var bytes: [UInt8] = []
                    for callID in 1...50 {
                        let frame = try RPCEnvelopeCodec.encode(
                            try requestFrame(callID: UInt64(callID), tag: "frame-\(callID)"),
                            maximumFrameSize: 65_536
                        )
                        bytes += frame.readableBytesView
                    }
                    try await connection.send(bytes)
                    var seen: Set<UInt64> = []
                    for _ in 1...50 {
                        let answer = try #require(try await connection.nextFrame())
                        guard case .response(let callID, .success(let payload)) = answer else {
                            Issue.record("unexpected answer \(answer)")
                            return
                        }
                        #expect(try MKMessagesShim.decodeMetadata(payload).traceId == "frame-\(callID)")
                        seen.insert(callID)
                    }
                    #expect(seen == Set(1...50))
                }
            }
        }
    }

    @Test func cancelFrameForAnUnknownCallIsIgnored() async throws {
        try await withTimeout {
            try await withServer(services: [EchoService()]) { _, port in
                try await RawConnection.with(port: port) { connection in
                    try await connection.send(.cancel(callID: 77))
                    try await connection.send(try requestFrame(callID: 1, tag: "still-open"))
                    let answer = try #require(try await connection.nextFrame())
                    #expect(answer.callID == 1)
                }
            }
        }
    }
}
