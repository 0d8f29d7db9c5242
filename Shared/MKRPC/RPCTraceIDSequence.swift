import Synchronization

/// The process's trace id sequence: a counter run through the SplitMix64 finaliser (a bijection,
/// so ids do not repeat before 2^64 calls) from two seeds drawn once from the system's generator.
enum RPCTraceIDSequence {
    private static let seeds: (UInt64, UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next())
    }()
    private static let counter = Atomic<UInt64>(0)

    /// The next id's two halves; never both zero.
    static func next() -> (high: UInt64, low: UInt64) {
        let count = Self.counter.wrappingAdd(1, ordering: .relaxed).newValue
        let high = Self.mix(Self.seeds.0 &+ count &* 0x9E37_79B9_7F4A_7C15)
        let low = Self.mix(Self.seeds.1 &+ count)
        return high == 0 && low == 0 ? (1, 0) : (high, low)
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
