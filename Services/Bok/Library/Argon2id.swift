internal import CArgon2

/// Argon2id (RFC 9106) through the reference library. Blocking and CPU-heavy: call it only on a
/// thread of ``CredentialHasher``'s pool, while holding a ``HashLimiter`` permit.
///
/// Public so that the benchmarks time exactly the service's hash; nothing else outside this
/// module calls it.
public enum Argon2id {
    /// The algorithm version libargon2 computes (0x13), recorded with every credential.
    static let version = 0x13
    /// Bytes of output.
    static let outputLength = 32
    /// Bytes of a fresh salt.
    static let saltLength = 16

    /// The raw Argon2id hash of `password` with `salt` (what libargon2's `argon2id_hash_raw`
    /// computes), its memory on huge pages (`mk_argon2_allocate`); `nil` when libargon2 refuses
    /// the inputs (which ``Argon2Parameters/isValid`` rules out) or cannot map its memory.
    public static func hash(password: [UInt8], salt: [UInt8], parameters: Argon2Parameters) -> [UInt8]? {
        guard parameters.isValid else { return nil }
        var output = [UInt8](repeating: 0, count: outputLength)
        // libargon2 only writes to the password and salt when told to clear them (flags).
        let result = password.withUnsafeBufferPointer { password in
            salt.withUnsafeBufferPointer { salt in
                output.withUnsafeMutableBufferPointer { output in
                    var context = argon2_context(
                        out: output.baseAddress, outlen: UInt32(output.count),
                        pwd: UnsafeMutablePointer(mutating: password.baseAddress), pwdlen: UInt32(password.count),
                        salt: UnsafeMutablePointer(mutating: salt.baseAddress), saltlen: UInt32(salt.count),
                        secret: nil, secretlen: 0, ad: nil, adlen: 0,
                        t_cost: UInt32(parameters.iterations), m_cost: UInt32(parameters.memoryKiB),
                        lanes: UInt32(parameters.parallelism), threads: UInt32(parameters.parallelism),
                        version: UInt32(ARGON2_VERSION_13.rawValue),
                        allocate_cbk: mk_argon2_allocate, free_cbk: mk_argon2_free,
                        flags: 0)  // ARGON2_DEFAULT_FLAGS: clear neither password nor secret
                    return argon2_ctx(&context, Argon2_id)
                }
            }
        }
        guard result == ARGON2_OK.rawValue else { return nil }
        return output
    }
}
