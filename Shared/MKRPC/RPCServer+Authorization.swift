import Logging

extension RPCServer {
    /// The refusal for a call of `handler`'s method by `peerIdentity`, or `nil` when it may go on.
    /// Over a transport that authenticates nobody (plaintext) every call goes on; with mutual TLS the
    /// health check always goes on and every other method needs an entry in the policy.
    func authorizationRefusal(of handler: RPCMethodHandler, peerIdentity: String?) -> RPCError? {
        guard self.security.authenticatesPeers, handler.descriptor != RPCHealthService.check else {
            return nil
        }
        let method = handler.descriptor.fullName
        if let peerIdentity, self.configuration.authorization.allows(peerIdentity, toCall: method) {
            return nil
        }
        return RPCError(
            .permissionDenied,
            "The caller \(peerIdentity ?? "<unauthenticated>") may not call \(method)",
            reason: "CALLER_NOT_ALLOWED"
        )
    }

    /// Says at start how callers are checked, and which policy entries look wrong: methods no caller
    /// may call, and entries for methods or services this server does not have (a typo denies).
    func logSecurity() {
        guard self.security.authenticatesPeers else {
            self.logger.warning(
                "RPC over plaintext on loopback: callers are not authenticated and the authorization policy is off"
            )
            return
        }
        let policy = self.configuration.authorization
        let methods = Set(self.methods.methodNames).subtracting([RPCHealthService.check.fullName])
        let unreachable = methods.filter { policy.callers(allowedToCall: $0).isEmpty }.sorted()
        if !unreachable.isEmpty {
            self.logger.notice(
                "RPC methods no caller is allowed to call",
                metadata: ["methods": "\(unreachable.joined(separator: ", "))"]
            )
        }
        let unknownMethods = policy.listedMethods.subtracting(methods).sorted()
        let unknownServices = policy.listedServices.subtracting(self.methods.serviceNames).sorted()
        if !unknownMethods.isEmpty || !unknownServices.isEmpty {
            self.logger.warning(
                "The authorization policy names methods or services this server does not have",
                metadata: [
                    "methods": "\(unknownMethods.joined(separator: ", "))",
                    "services": "\(unknownServices.joined(separator: ", "))",
                ]
            )
        }
    }
}
