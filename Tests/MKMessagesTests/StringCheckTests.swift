import CMKProto
import MKMessages
import Testing

/// The one-pass check decoded strings go through (`mk_proto_unpacked_string_check`): its length
/// comes from the arena's size header, and its UTF-8 validation must agree with Swift's exactly,
/// because the decoded `String` is built from the checked bytes without validating them again.
@Suite struct StringCheckTests {
    enum Outcome: Equatable {
        case valid(ascii: Bool)
        case interiorNUL
        case invalidUTF8
    }

    static func check(_ bytes: [UInt8]) -> Outcome {
        var ascii: Int32 = -1
        let status = bytes.withUnsafeBufferPointer { mk_proto_utf8_check($0.baseAddress, $0.count, &ascii) }
        switch status {
        case MK_PROTO_STRING_OK: return .valid(ascii: ascii == 1)
        case MK_PROTO_STRING_INTERIOR_NUL: return .interiorNUL
        default: return .invalidUTF8
        }
    }

    /// What the check must answer, from Swift's own validator: the first problem in the bytes wins.
    static func expected(_ bytes: [UInt8]) -> Outcome {
        if let nul = bytes.firstIndex(of: 0) {
            return String(validating: bytes[..<nul], as: UTF8.self) == nil ? .invalidUTF8 : .interiorNUL
        }
        guard String(validating: bytes, as: UTF8.self) != nil else { return .invalidUTF8 }
        return .valid(ascii: bytes.allSatisfy { $0 < 0x80 })
    }

    /// Boundaries of Unicode's table of well-formed sequences, each after 0 to 17 ASCII bytes (so
    /// that the eight-byte fast path meets it at every position of a word and jumps to it).
    static let edges: [[UInt8]] = [
        [], [0x7F], [0x80], [0xC0, 0x80], [0xC1, 0xBF], [0xC2, 0x80], [0xDF, 0xBF], [0xC2], [0xC2, 0xC0],
        [0xE0, 0x9F, 0x80], [0xE0, 0xA0, 0x80], [0xE1, 0x80, 0x80], [0xEC, 0xBF, 0xBF], [0xED, 0x9F, 0xBF],
        [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF], [0xE1, 0x80],
        [0xE1, 0x80, 0x7F], [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF3, 0xBF, 0xBF, 0xBF],
        [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xF0, 0x90, 0x80],
        [0xFF], [0xFE], [0x00], [0xC3, 0x00], [0xE2, 0x82, 0x00], [0x61, 0x00, 0xFF],
    ]

    @Test(arguments: edges)
    func agreesWithSwiftAtTheEdgesOfTheUTF8Table(_ sequence: [UInt8]) {
        for prefix in (0...17).map({ [UInt8](repeating: 0x61, count: $0) }) {
            for suffix in [[], [UInt8](repeating: 0x62, count: 8)] {
                let bytes = prefix + sequence + suffix
                #expect(Self.check(bytes) == Self.expected(bytes), "\(bytes)")
            }
        }
    }

    @Test func agreesWithSwiftOnSeededRandomBytes() {
        // Bytes biased towards the interesting ranges: ASCII, NUL, continuations and every lead.
        let alphabet: [UInt8] = [
            0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xED,
            0xEE, 0xEF, 0xF0, 0xF3, 0xF4, 0xF5, 0xFF,
        ]
        var rng = FuzzTests.SplitMix64(state: 0x7574_662D_3821)
        var outcomes: [String: Int] = [:]
        for _ in 0..<50_000 {
            let count = rng.below(24)
            let bytes = (0..<count).map { _ in
                rng.below(3) == 0 ? UInt8(truncatingIfNeeded: rng.next()) : alphabet[rng.below(alphabet.count)]
            }
            let expected = Self.expected(bytes)
            #expect(Self.check(bytes) == expected, "\(bytes)")
            outcomes["\(expected)", default: 0] += 1
        }
        // The generator must reach every outcome, or the comparison proves little.
        #expect(outcomes.count == 4, "\(outcomes)")
    }

    /// ASCII, two-, three- and four-byte characters and the empty string, at lengths around the
    /// eight-byte words the check reads, through the real decoder.
    static let strings: [String] = [
        "", "a", "abcdefg", "abcdefgh", "abcdefghi", String(repeating: "x", count: 15),
        String(repeating: "x", count: 16), String(repeating: "x", count: 17),
        "Příliš žluťoučký kůň úpěl ďábelské ódy", "€", "1234567€", "12345678€", "🔑", "Klíč 🔑 v mobilu",
        String(repeating: "ř", count: 2048),
    ]

    @Test(arguments: strings)
    func decodedStringsKeepEveryByte(_ value: String) throws {
        let envelope = Mk_Rpc_V1_Envelope(method: value)
        let bytes = try envelope.serializedBytes()
        let decoded = try Mk_Rpc_V1_Envelope(serializedBytes: bytes)
        #expect(decoded == envelope)
        #expect(Array(decoded.method.utf8) == Array(value.utf8))
    }

    /// A NUL or a broken sequence at every position of a 20-byte string, past the fast path too.
    @Test func aBadByteAnywhereInADecodedStringIsRefused() {
        let text = Array("abcdefghijklmnopqrst".utf8)
        for position in text.indices {
            for (bad, code) in [(UInt8(0x00), ProtoError.Code.interiorNUL), (0xFF, .invalidUTF8), (0x80, .invalidUTF8)] {
                var value = text
                value[position] = bad
                let bytes: [UInt8] = [0x1A, UInt8(value.count)] + value
                #expect(throws: ProtoError(code, message: "mk.rpc.v1.Envelope", field: "method"), "\(position)") {
                    try Mk_Rpc_V1_Envelope(serializedBytes: bytes)
                }
            }
        }
    }
}
