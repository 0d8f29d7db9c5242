public import MKRPC

extension EnvironmentSettings {
    /// How this process's RPC server and clients are protected, from the environment:
    ///
    /// - `RPC_TLS_CERT_FILE`: PEM certificate chain of this process (its certificate first). Its
    ///   one URI SAN `spiffe://mk/<name>` is the identity peers know it by.
    /// - `RPC_TLS_KEY_FILE`: the certificate's unencrypted PEM private key (never logged).
    /// - `RPC_TLS_CA_FILE`: PEM certificates of the CA every peer's certificate must chain to.
    /// - `RPC_PLAINTEXT`: `true` for plaintext instead, for loopback development only; accepted only
    ///   when set explicitly, with none of the `RPC_TLS_*` variables, and (when `listenAddress` is
    ///   given) only with a loopback listen address. Over plaintext no caller is authenticated and
    ///   the server's authorization policy is not applied.
    ///
    /// Without `RPC_PLAINTEXT=true` all three files are required. The files are read here, so a
    /// missing, unreadable or mismatched file stops the process at start with a
    /// ``ConfigurationError`` naming the variable; the message never contains key material.
    ///
    /// - Parameter listenAddress: the RPC server's listen address, or `nil` for a process that
    ///   only calls others (the gateway).
    public func rpcTransportSecurity(listenAddress: HostAndPort? = nil) throws -> RPCTransportSecurity {
        let certificateFile = try self.optionalString("RPC_TLS_CERT_FILE")
        let keyFile = try self.optionalString("RPC_TLS_KEY_FILE")
        let caFile = try self.optionalString("RPC_TLS_CA_FILE")
        if try self.boolean("RPC_PLAINTEXT", default: false) {
            guard certificateFile == nil, keyFile == nil, caFile == nil else {
                throw ConfigurationError(
                    setting: "RPC_PLAINTEXT",
                    problem: "is true while RPC_TLS_CERT_FILE, RPC_TLS_KEY_FILE or RPC_TLS_CA_FILE is set; choose one")
            }
            if let listenAddress, !RPCTransportSecurity.isLoopbackHost(listenAddress.host) {
                throw ConfigurationError(
                    setting: "RPC_PLAINTEXT",
                    problem: "is only accepted with a loopback listen address (127.0.0.1, ::1, localhost), "
                        + "not \(listenAddress.host)")
            }
            return .plaintext
        }
        guard let certificateFile else { throw Self.missingTLSSetting("RPC_TLS_CERT_FILE") }
        guard let keyFile else { throw Self.missingTLSSetting("RPC_TLS_KEY_FILE") }
        guard let caFile else { throw Self.missingTLSSetting("RPC_TLS_CA_FILE") }
        do {
            return .mutualTLS(
                try RPCTLSConfiguration(
                    certificateChainFile: certificateFile,
                    privateKeyFile: keyFile,
                    trustRootsFile: caFile
                )
            )
        } catch {
            let setting =
                switch error.code {
                case .privateKey: "RPC_TLS_KEY_FILE"
                case .trustRoots: "RPC_TLS_CA_FILE"
                default: "RPC_TLS_CERT_FILE"
                }
            throw ConfigurationError(setting: setting, problem: "\(error.file) \(error.problem)")
        }
    }

    private static func missingTLSSetting(_ name: String) -> ConfigurationError {
        ConfigurationError(
            setting: name,
            problem: "is required for mutual TLS between services (or set RPC_PLAINTEXT=true for loopback development)")
    }
}
