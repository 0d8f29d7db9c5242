/// Decides which address a request comes from. `X-Forwarded-For` is believed only when the TCP
/// peer is a configured proxy; then the right-most entry that is not itself a trusted proxy is
/// the client. From anyone else the header is ignored, so it cannot dodge rate limits.
struct ClientAddressResolver: Sendable {
    /// The trusted proxies' addresses.
    let trustedProxies: Set<String>

    /// The client's address for a request from `peer` carrying `forwardedFor` header values.
    func resolve(peer: String?, forwardedFor: [String]) -> String {
        guard let peer else { return "unknown" }
        guard trustedProxies.contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map {
            String($0.filter { !$0.isWhitespace })
        }
        for hop in hops.reversed() where !hop.isEmpty && !trustedProxies.contains(hop) {
            guard hop.count <= 45, hop.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) else {
                return peer
            }
            return hop
        }
        return peer
    }
}
