import CMKProto
import MKMessages
import Testing

/// Seeded random and mutated inputs against every message's decoder: no crash, no leak, only
/// `ProtoError`, and whatever decodes re-encodes to itself.
@Suite struct FuzzTests {
    /// SplitMix64: small, seedable, good enough to drive mutations.
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { bound <= 0 ? 0 : Int(next() % UInt64(bound)) }
    }

    static let iterationsPerMessage = 1500

    static func mutate(_ valid: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = valid
        switch rng.below(8) {
        case 0:  // random bytes
            return (0..<rng.below(64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        case 1:  // truncate
            return Array(bytes.prefix(rng.below(bytes.count + 1)))
        case 2:  // insert a random byte
            bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: rng.below(bytes.count + 1))
        case 3:  // delete a byte
            if !bytes.isEmpty { bytes.remove(at: rng.below(bytes.count)) }
        case 4:  // large or NUL byte
            if !bytes.isEmpty { bytes[rng.below(bytes.count)] = [0x00, 0x80, 0xFF, 0x7F][rng.below(4)] }
        case 5:  // duplicate a slice (repeated and merged fields)
            let start = rng.below(bytes.count + 1)
            let end = start + rng.below(bytes.count - start + 1)
            bytes.insert(contentsOf: bytes[start..<end], at: rng.below(bytes.count + 1))
        default:  // flip bits
            for _ in 0...rng.below(4) where !bytes.isEmpty {
                bytes[rng.below(bytes.count)] ^= UInt8(1) << UInt8(rng.below(8))
            }
        }
        return bytes
    }

    @Test(arguments: ContractFixture.all)
    func mutatedInputNeverCrashesOrLeaks(_ fixture: ContractFixture) throws {
        var rng = SplitMix64(state: 0x6D6B_2D70_726F_746F ^ UInt64(fixture.messageName.utf8.count))
        for byte in fixture.messageName.utf8 { rng.state = rng.state &* 31 &+ UInt64(byte) }
        let valid = try fixture.encode()
        var decoded = 0
        for _ in 0..<Self.iterationsPerMessage {
            let input = Self.mutate(valid, &rng)
            let before = mk_proto_arena_thread_statistics()
            do {
                if try !fixture.roundTrips(input) {
                    Issue.record("\(fixture.messageName): \(input) decodes but does not round-trip")
                }
                decoded += 1
            } catch {
                if ![.malformed, .invalidUTF8, .interiorNUL].contains(error.code) {
                    Issue.record("\(fixture.messageName): unexpected \(error) for \(input)")
                }
            }
            let after = mk_proto_arena_thread_statistics()
            let opened = after.arenas_initialized - before.arenas_initialized
            let released = after.arenas_released - before.arenas_released
            let allocated = after.chunks_allocated - before.chunks_allocated
            let freed = after.chunks_freed - before.chunks_freed
            if opened != released || allocated != freed || opened == 0 {
                Issue.record(
                    "\(fixture.messageName): arenas \(opened)/\(released), chunks \(allocated)/\(freed) for \(input)")
                return
            }
        }
        #expect(decoded > 0)
    }
}
