import MKMessages
import Testing

/// How decoding treats bytes from newer, broken or hostile peers, and what encoding refuses.
@Suite struct WireBehaviourTests {
    /// Field 1000 varint, 1001 length-delimited, 1002 fixed64, 1003 fixed32: none is in any contract.
    static let unknownFields: [UInt8] = [
        0xC0, 0x3E, 0x96, 0x01,
        0xCA, 0x3E, 0x03, 0x61, 0x00, 0xFF,
        0xD1, 0x3E, 1, 2, 3, 4, 5, 6, 7, 8,
        0xDD, 0x3E, 1, 2, 3, 4,
    ]

    @Test(arguments: ContractFixture.all)
    func unknownFieldsFromANewerPeerAreSkipped(_ fixture: ContractFixture) throws {
        let valid = try fixture.encode()
        #expect(try fixture.decodesToValue(valid + Self.unknownFields))
        #expect(try fixture.decodesToValue(Self.unknownFields + valid))
    }

    @Test func emptyBytesDecodeToTheDefaultMessage() throws {
        #expect(try Mk_Rpc_V1_Envelope(serializedBytes: [UInt8]()) == Mk_Rpc_V1_Envelope())
        #expect(try Mk_Rpc_V1_Envelope().serializedBytes() == [])
    }

    static let malformed: [(String, [UInt8])] = [
        ("truncated length-delimited field", [0x1A, 0x05, 0x61, 0x62]),
        ("truncated varint", [0x10, 0xFF]),
        ("truncated tag", [0xC0]),
        ("wrong wire type for a string", [0x1D, 0x00, 0x00, 0x00, 0x00]),
        ("wrong wire type for a message", [0x28, 0x01]),
        ("varint longer than 10 bytes", [0x10] + [UInt8](repeating: 0xFF, count: 11) + [0x01]),
        ("length beyond the buffer", [0x32, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00]),
        ("field number 0", [0x00, 0x01]),
        ("group wire type", [0x1B, 0x1C]),
        ("malformed nested message", [0x2A, 0x02, 0x0A, 0x05]),
    ]

    @Test(arguments: malformed)
    func malformedBytesThrowMalformed(_ name: String, _ bytes: [UInt8]) {
        #expect(throws: ProtoError(.malformed, message: "mk.rpc.v1.Envelope"), "\(name)") {
            try Mk_Rpc_V1_Envelope(serializedBytes: bytes)
        }
    }

    @Test func everyTruncationOfAValidMessageFailsCleanlyOrDecodes() throws {
        let fixture = try #require(ContractFixture.all.first { $0.messageName == "mk.rpc.v1.Envelope" })
        let valid = try fixture.encode()
        for length in 0..<valid.count {
            do {
                _ = try fixture.roundTrips(Array(valid[..<length]))
            } catch {
                #expect(error.code == .malformed, "prefix of \(length) bytes: \(error)")
            }
        }
    }

    @Test func invalidUTF8InAStringThrowsInvalidUTF8() {
        for bytes: [UInt8] in [[0x1A, 0x02, 0xC3, 0x28], [0x1A, 0x01, 0xFF], [0x1A, 0x03, 0xED, 0xA0, 0x80]] {
            #expect(throws: ProtoError(.invalidUTF8, message: "mk.rpc.v1.Envelope", field: "method")) {
                try Mk_Rpc_V1_Envelope(serializedBytes: bytes)
            }
        }
        // Nested: Envelope.metadata.trace_id.
        #expect(throws: ProtoError(.invalidUTF8, message: "mk.rpc.v1.Metadata", field: "trace_id")) {
            try Mk_Rpc_V1_Envelope(serializedBytes: [0x2A, 0x03, 0x0A, 0x01, 0x80])
        }
    }

    @Test func aNULInsideAWireStringThrowsInteriorNUL() {
        for bytes: [UInt8] in [[0x1A, 0x03, 0x61, 0x00, 0x62], [0x1A, 0x01, 0x00], [0x1A, 0x02, 0x61, 0x00]] {
            #expect(throws: ProtoError(.interiorNUL, message: "mk.rpc.v1.Envelope", field: "method")) {
                try Mk_Rpc_V1_Envelope(serializedBytes: bytes)
            }
        }
        #expect(throws: ProtoError(.interiorNUL, message: "mk.rpc.v1.Metadata", field: "trace_id")) {
            try Mk_Rpc_V1_Envelope(serializedBytes: [0x2A, 0x04, 0x0A, 0x02, 0x61, 0x00])
        }
        // A repeated string: AckInboxRequest.message_ids.
        #expect(throws: ProtoError(.interiorNUL, message: "mk.preferences.v1.AckInboxRequest", field: "message_ids")) {
            try Mk_Preferences_V1_AckInboxRequest(serializedBytes: [0x1A, 0x01, 0x61, 0x1A, 0x02, 0x00, 0x62])
        }
    }

    @Test func aNULByteInBytesFieldsIsData() throws {
        let envelope = Mk_Rpc_V1_Envelope(payload: [0x00, 0x00, 0x01])
        #expect(try Mk_Rpc_V1_Envelope(serializedBytes: envelope.serializedBytes()) == envelope)
    }

    @Test func encodingAStringWithANULThrowsInteriorNUL() {
        let direct = Mk_Rpc_V1_Envelope(method: "a\u{0}b")
        let error = ProtoError(.interiorNUL, message: "mk.rpc.v1.Envelope", field: "method")
        #expect(throws: error) { try direct.serializedBytes() }
        #expect(throws: error) { try direct.serializedSize() }
        #expect(throws: error) {
            var buffer = [UInt8](repeating: 0, count: 64)
            return try buffer.withUnsafeMutableBytes { raw throws(ProtoError) in try direct.serialize(into: raw) }
        }
        let nested = Mk_Rpc_V1_Envelope(metadata: Mk_Rpc_V1_Metadata(traceId: "\u{0}"))
        #expect(throws: ProtoError(.interiorNUL, message: "mk.rpc.v1.Metadata", field: "trace_id")) {
            try nested.serializedBytes()
        }
        let repeated = Mk_Preferences_V1_AckInboxRequest(messageIds: ["ok", "x\u{0}"])
        #expect(throws: ProtoError(.interiorNUL, message: "mk.preferences.v1.AckInboxRequest", field: "message_ids")) {
            try repeated.serializedBytes()
        }
    }

    @Test func serializeIntoASmallBufferThrowsBufferTooSmall() throws {
        let envelope = Mk_Rpc_V1_Envelope(kind: .request, callId: 7, method: "mk.rpc.v1.Health/Check")
        let size = try envelope.serializedSize()
        var buffer = [UInt8](repeating: 0, count: size)
        #expect(throws: ProtoError(.bufferTooSmall, message: "mk.rpc.v1.Envelope")) {
            try buffer.withUnsafeMutableBytes { raw throws(ProtoError) in
                try envelope.serialize(into: UnsafeMutableRawBufferPointer(rebasing: raw.dropLast()))
            }
        }
        let written = try buffer.withUnsafeMutableBytes { raw throws(ProtoError) in
            try envelope.serialize(into: raw)
        }
        #expect(written == size)
        #expect(buffer == (try envelope.serializedBytes()))
    }

    @Test func unknownEnumNumbersAreKeptAndReEncoded() throws {
        let unknown: [UInt8] = [0x08, 0x63]
        let decoded = try Mk_Rpc_V1_Envelope(serializedBytes: unknown)
        #expect(decoded.kind == .unrecognized(99))
        #expect(try decoded.serializedBytes() == unknown)

        let negative: [UInt8] = [0x08] + [UInt8](repeating: 0xFF, count: 9) + [0x01]
        let decodedNegative = try Mk_Rpc_V1_Envelope(serializedBytes: negative)
        #expect(decodedNegative.kind == .unrecognized(-1))
        #expect(try decodedNegative.serializedBytes() == negative)
        #expect(Mk_Rpc_V1_FrameKind.unrecognized(1) == .request)
        #expect(Mk_Rpc_V1_FrameKind(rawValue: 2) == .response)
        #expect(Mk_Rpc_V1_FrameKind.allCases.map(\.rawValue) == [0, 1, 2, 3])
    }

    @Test func messagesLargerThanTheInlineArenaRoundTrip() throws {
        let devices = (0..<500).map { i in
            Mk_Registry_V1_Device(deviceId: "device-\(i)", displayName: String(repeating: "ž", count: i), platform: .ios)
        }
        let response = Mk_Registry_V1_ListDevicesResponse(devices: devices)
        let bytes = try response.serializedBytes()
        #expect(try Mk_Registry_V1_ListDevicesResponse(serializedBytes: bytes) == response)
        #expect(try response.serializedSize() == bytes.count)
    }

    @Test func defaultInitAndMemberwiseInitAgree() {
        #expect(Mk_Registry_V1_Device() == Mk_Registry_V1_Device(deviceId: ""))
        #expect(Mk_Bok_V1_GetHpkePublicKeyRequest() == Mk_Bok_V1_GetHpkePublicKeyRequest())
    }
}
