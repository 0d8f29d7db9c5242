/// The cost parameters of Argon2id, recorded with every stored credential so they can be raised
/// later without invalidating existing codes (a credential is re-hashed with the current
/// parameters at its next successful verification).
public struct Argon2Parameters: Sendable, Hashable {
    /// Memory in KiB (`m_cost`); at least 8 × ``parallelism``.
    public var memoryKiB: Int
    /// Passes over the memory (`t_cost`); at least 1.
    public var iterations: Int
    /// Lanes (`p`); at least 1.
    public var parallelism: Int

    /// The production default: 64 MiB, 3 passes, 1 lane (RFC 9106's second recommended option,
    /// with one lane because concurrent verifications already use every core).
    public static let production = Argon2Parameters(memoryKiB: 65_536, iterations: 3, parallelism: 1)

    /// Creates parameters; check them with ``isValid``.
    public init(memoryKiB: Int, iterations: Int, parallelism: Int) {
        self.memoryKiB = memoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
    }

    /// True when libargon2 accepts these values and they stay within sane bounds (at most 4 GiB,
    /// 100 passes and 64 lanes).
    public var isValid: Bool {
        (1...64).contains(parallelism) && (1...100).contains(iterations)
            && (8 * parallelism...4_194_304).contains(memoryKiB)
    }
}
