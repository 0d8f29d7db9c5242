internal import CArgon2

/// Argon2id (RFC 9106) through the reference library. Blocking and CPU-heavy: call it only on a
/// thread of ``CredentialHasher``'s pool, while holding a ``HashLimiter`` permit.
enum Argon2id {
    /// The algorithm version libargon2 computes (0x13), recorded with every credential.
    static let version = 0x13
    /// Bytes of output.
    static let outputLength = 32
    /// Bytes of a fresh salt.
    static let saltLength = 16

    /// The raw Argon2id hash of `password` with `salt`; `nil` when libargon2 refuses the inputs
    /// (which ``Argon2Parameters/isValid`` rules out) or cannot allocate its memory.
    static func hash(password: [UInt8], salt: [UInt8], parameters: Argon2Parameters) -> [UInt8]? {
        guard parameters.isValid else { return nil }
        var output = [UInt8](repeating: 0, count: outputLength)
        let result = password.withUnsafeBytes { passwordBytes in
            salt.withUnsafeBytes { saltBytes in
                output.withUnsafeMutableBytes { outputBytes in
                    argon2id_hash_raw(
                        UInt32(parameters.iterations), UInt32(parameters.memoryKiB), UInt32(parameters.parallelism),
                        passwordBytes.baseAddress, passwordBytes.count,
                        saltBytes.baseAddress, saltBytes.count,
                        outputBytes.baseAddress, outputBytes.count)
                }
            }
        }
        guard result == ARGON2_OK.rawValue else { return nil }
        return output
    }
}
