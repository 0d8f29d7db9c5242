import NIOSSL

/// The certificates of one process for mutual TLS: its own certificate chain and private key,
/// presented to every peer, and the CA that every peer's certificate must chain to. Used by both
/// ``RPCServer`` and ``RPCClient`` through ``RPCTransportSecurity/mutualTLS(_:)``.
///
/// Both ends require TLS 1.3. The server requires a client certificate from the CA; the client
/// checks that the server's certificate is from the CA and valid for the host it connects to (a
/// DNS name SAN for a host name, an IP address SAN for an IP literal; ``serverHostname`` overrides
/// the name). The caller's identity is its certificate's URI SAN `spiffe://<trustDomain>/<name>`
/// (`spiffe://mk/gateway` → `gateway`); a certificate without exactly one such URI is refused.
///
/// The files are read once, when the configuration is created, so a bad file stops a process at
/// start; rotating certificates means restarting the process (a rolling restart in Kubernetes).
public struct RPCTLSConfiguration: Sendable {
    /// The identity this process's own certificate names (`gateway`).
    public let identity: String
    /// The SPIFFE trust domain identities are read from (default `mk`).
    public let trustDomain: String
    /// Client only: the name the server's certificate must be valid for, instead of the host the
    /// client connects to (`nil`, the default, checks that host).
    public var serverHostname: String?
    /// How long a TLS handshake may take before the connection is closed (default 10 s).
    public var handshakeTimeout: Duration

    let serverContext: NIOSSLContext
    let clientContext: NIOSSLContext

    /// Reads PEM files: `certificateChainFile` (this process's certificate first, then any
    /// intermediates), `privateKeyFile` (its unencrypted key) and `trustRootsFile` (the CA
    /// certificates peers must chain to; only these are trusted, never the system's store).
    ///
    /// Throws ``RPCTLSConfigurationError`` naming the file at fault when a file cannot be read,
    /// the key does not belong to the certificate, or the certificate names no identity.
    public init(
        certificateChainFile: String,
        privateKeyFile: String,
        trustRootsFile: String,
        trustDomain: String = "mk",
        serverHostname: String? = nil,
        handshakeTimeout: Duration = .seconds(10)
    ) throws(RPCTLSConfigurationError) {
        guard RPCCertificateIdentity.isValidTrustDomain(trustDomain) else {
            throw RPCTLSConfigurationError(
                .setting, file: "trustDomain", problem: "must be lowercase letters, digits, '-' and '.'")
        }
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificateChainFile)
        } catch {
            throw RPCTLSConfigurationError(
                .certificateChain, file: certificateChainFile, problem: "cannot be read as PEM certificates (\(error))")
        }
        guard let leaf = chain.first else {
            throw RPCTLSConfigurationError(
                .certificateChain, file: certificateChainFile, problem: "contains no certificate")
        }
        guard let identity = RPCCertificateIdentity.identity(of: leaf, trustDomain: trustDomain) else {
            throw RPCTLSConfigurationError(
                .certificateChain, file: certificateChainFile,
                problem: "the certificate needs exactly one URI subject alternative name spiffe://\(trustDomain)/<name>"
            )
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: privateKeyFile, format: .pem)
        } catch {
            // The error from the PEM reader carries no key material, but keep the message generic.
            throw RPCTLSConfigurationError(
                .privateKey, file: privateKeyFile, problem: "cannot be read as an unencrypted PEM private key")
        }
        let roots: [NIOSSLCertificate]
        do {
            roots = try NIOSSLCertificate.fromPEMFile(trustRootsFile)
        } catch {
            throw RPCTLSConfigurationError(
                .trustRoots, file: trustRootsFile, problem: "cannot be read as PEM certificates (\(error))")
        }
        guard !roots.isEmpty else {
            throw RPCTLSConfigurationError(.trustRoots, file: trustRootsFile, problem: "contains no certificate")
        }

        var server = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        server.minimumTLSVersion = .tlsv13
        // Requires a client certificate; a client has no host name to check.
        server.certificateVerification = .noHostnameVerification
        server.trustRoots = .certificates(roots)

        var client = TLSConfiguration.makeClientConfiguration()
        client.minimumTLSVersion = .tlsv13
        client.certificateVerification = .fullVerification
        client.trustRoots = .certificates(roots)
        client.certificateChain = chain.map { .certificate($0) }
        client.privateKey = .privateKey(key)

        do {
            self.serverContext = try NIOSSLContext(configuration: server)
            self.clientContext = try NIOSSLContext(configuration: client)
        } catch {
            throw RPCTLSConfigurationError(
                .privateKey, file: privateKeyFile,
                problem: "cannot be used with the certificate in \(certificateChainFile): it does not belong to it")
        }
        self.identity = identity
        self.trustDomain = trustDomain
        self.serverHostname = serverHostname
        self.handshakeTimeout = handshakeTimeout
    }
}
