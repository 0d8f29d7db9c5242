import CMKProto
@testable import MKMessages
import Testing

/// The encoder's one-pass string copy, the thread's spare arena chunk and the array decoder: the
/// fast paths give the same bytes and the same refusals as before.
@Suite struct CodecPathTests {
    /// `Envelope.method` (field 3) on the wire, for a value shorter than 128 bytes.
    static func wireMethod(_ utf8: [UInt8]) -> [UInt8] {
        [0x1A, UInt8(utf8.count)] + utf8
    }

    /// Small (inline), literal and heap strings of every length around the eight-byte words the
    /// copy reads, in ASCII and with two-byte characters, encode to exactly their wire bytes.
    @Test func everyStringLengthEncodesToItsWireBytes() throws {
        for length in 0...40 {
            for unit in ["a", "ž"] {
                let value = String(repeating: unit, count: length)
                let bytes = try Mk_Rpc_V1_Envelope(method: value).serializedBytes()
                #expect(bytes == (value.isEmpty ? [] : Self.wireMethod(Array(value.utf8))), "\(length) × \(unit)")
                #expect(try Mk_Rpc_V1_Envelope(serializedBytes: bytes).method == value)
            }
        }
        let literal = "mk.registry.v1.DeviceRegistry/ListDevices"
        #expect(try Mk_Rpc_V1_Envelope(method: literal).serializedBytes() == Self.wireMethod(Array(literal.utf8)))
    }

    /// A NUL at any position of strings of 1 to 40 bytes (inside and after the eight-byte words) is
    /// refused, and so is one in a string from a substring.
    @Test func aNULAnywhereInAnEncodedStringIsRefused() {
        let error = ProtoError(.interiorNUL, message: "mk.rpc.v1.Envelope", field: "method")
        for length in 1...40 {
            for position in 0..<length {
                var utf8 = [UInt8](repeating: 0x62, count: length)
                utf8[position] = 0
                let value = String(decoding: utf8, as: UTF8.self)
                #expect(throws: error, "\(position) of \(length)") {
                    try Mk_Rpc_V1_Envelope(method: value).serializedBytes()
                }
            }
        }
        let sliced = String("Klíč \u{0} v mobilu".dropFirst(2))
        #expect(throws: error) { try Mk_Rpc_V1_Envelope(method: sliced).serializedSize() }
    }

    /// A string far larger than the inline region and the spare chunk's cap round-trips whole.
    @Test func aLongStringRoundTrips() throws {
        let value = String(repeating: "Klíč 🔑 ", count: 20_000)
        let envelope = Mk_Rpc_V1_Envelope(method: value)
        let bytes = try envelope.serializedBytes()
        #expect(bytes.count == value.utf8.count + 4)  // tag and a three-byte length
        #expect(try Mk_Rpc_V1_Envelope(serializedBytes: bytes) == envelope)
    }

    /// Messages whose packed-size bound falls on either side of the stack-packing limit (packed on
    /// the stack and copied, or packed into the array itself) give exactly the bytes that packing
    /// into a buffer of their measured size gives.
    @Test func bothPackingPathsGiveTheMeasuredBytes() throws {
        var packedOnTheStack: Set<Bool> = []
        for length in 860...980 {
            let method = String(repeating: "m", count: length)
            let envelope = Mk_Rpc_V1_Envelope(method: method, timeoutMicros: 30_000_000)
            packedOnTheStack.insert(Mk_Rpc_V1_Envelope.packedSizeBound(envelope) <= ProtoCodec.stackPackingLimit)
            var measured = [UInt8](repeating: 0, count: try envelope.serializedSize())
            let written = try measured.withUnsafeMutableBytes { buffer throws(ProtoError) in
                try envelope.serialize(into: buffer)
            }
            #expect(written == measured.count)
            let bytes = try envelope.serializedBytes()
            #expect(bytes == measured, "\(length)")
            #expect(try Mk_Rpc_V1_Envelope(serializedBytes: bytes) == envelope)
        }
        #expect(packedOnTheStack == [true, false])
    }

    static func devices(_ count: Int, nameLength: Int) -> Mk_Registry_V1_ListDevicesResponse {
        Mk_Registry_V1_ListDevicesResponse(
            devices: (0..<count).map { i in
                Mk_Registry_V1_Device(
                    deviceId: "device-\(i)", displayName: String(repeating: "ř", count: nameLength), platform: .android)
            })
    }

    /// After one message that outgrew the inline region, the next ones on the same thread take the
    /// released chunk instead of a new one; every chunk is still given back, and no message sees
    /// another's bytes.
    @Test func theThreadsSpareChunkIsReusedAndGivenBack() throws {
        for (count, nameLength) in [(40, 30), (40, 31), (3, 2), (200, 200), (40, 30)] {
            let response = Self.devices(count, nameLength: nameLength)
            let before = mk_proto_arena_thread_statistics()
            let first = try response.serializedBytes()
            let middle = mk_proto_arena_thread_statistics()
            let second = try response.serializedBytes()
            let decoded = try Mk_Registry_V1_ListDevicesResponse(serializedBytes: second)
            let after = mk_proto_arena_thread_statistics()
            #expect(first == second)
            #expect(decoded == response)
            #expect(after.arenas_initialized - before.arenas_initialized == 3)
            #expect(after.arenas_released - before.arenas_released == 3)
            #expect(after.chunks_allocated - before.chunks_allocated == after.chunks_freed - before.chunks_freed)
            if count == 40 {
                // About 4 KiB of C message: the second encode runs in the chunk the first gave back.
                #expect(middle.chunks_allocated > before.chunks_allocated)
                #expect(after.chunks_reused - middle.chunks_reused >= 1, "\(count) × \(nameLength)")
            }
        }
    }

    /// A bad string in the last element of a repeated message field fails the whole decode after the
    /// earlier elements were read in place (and are released, not leaked or half-returned).
    @Test func aBadStringInTheLastElementOfAListFailsTheDecode() throws {
        var bytes = try Self.devices(3, nameLength: 4).serializedBytes()
        let name = Array(String(repeating: "ř", count: 4).utf8)
        let last = try #require(
            (0...(bytes.count - name.count)).last { Array(bytes[$0..<($0 + name.count)]) == name })
        bytes[last] = 0xFF
        let before = mk_proto_arena_thread_statistics()
        #expect(throws: ProtoError(.invalidUTF8, message: "mk.registry.v1.Device", field: "display_name")) {
            try Mk_Registry_V1_ListDevicesResponse(serializedBytes: bytes)
        }
        let after = mk_proto_arena_thread_statistics()
        #expect(after.arenas_initialized - before.arenas_initialized == 1)
        #expect(after.arenas_released - before.arenas_released == 1)
    }

    /// The array decoder (no `Result` in between) gives what the raw-buffer decoder gives, values and
    /// typed errors alike.
    @Test func decodingAnArrayMatchesDecodingItsBuffer() throws {
        let bytes = try Self.devices(5, nameLength: 8).serializedBytes()
        let viaArray = try Mk_Registry_V1_ListDevicesResponse(serializedBytes: bytes)
        let viaBuffer = try bytes.withUnsafeBytes { raw throws(ProtoError) in
            try Mk_Registry_V1_ListDevicesResponse(serializedBytes: raw)
        }
        let viaSlice = try Mk_Registry_V1_ListDevicesResponse(serializedBytes: bytes[...])
        #expect(viaArray == viaBuffer)
        #expect(viaSlice == viaArray)

        let broken = Array(bytes.dropLast())
        do throws(ProtoError) {
            _ = try Mk_Registry_V1_ListDevicesResponse(serializedBytes: broken)
            Issue.record("a truncated message decoded")
        } catch {
            #expect(error.code == .malformed)
        }
    }
}
