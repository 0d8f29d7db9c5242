/// A certificate, key or CA file for ``RPCTLSConfiguration`` cannot be used. The message names the
/// file and the problem, never any key material.
public struct RPCTLSConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Which input is at fault; extensible.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The name of the code (`CERTIFICATE_CHAIN`).
        public let rawValue: String

        /// Wraps a code name.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The certificate chain file is unreadable, empty or not PEM, or the certificate names no
        /// service identity.
        public static let certificateChain = Code(rawValue: "CERTIFICATE_CHAIN")
        /// The private key file is unreadable or not a PEM private key, or it does not belong to the
        /// certificate.
        public static let privateKey = Code(rawValue: "PRIVATE_KEY")
        /// The CA file is unreadable, empty or not PEM.
        public static let trustRoots = Code(rawValue: "TRUST_ROOTS")
        /// A setting other than a file is invalid (the trust domain).
        public static let setting = Code(rawValue: "SETTING")

        public var description: String { rawValue }
    }

    /// Which input is at fault.
    public var code: Code
    /// The file (or setting) at fault.
    public var file: String
    /// What is wrong with it; never contains key material.
    public var problem: String

    /// Creates an error.
    public init(_ code: Code, file: String, problem: String) {
        self.code = code
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(code) \(file): \(problem)" }
}
