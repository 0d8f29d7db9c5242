/// How the simulator reaches the gateway: one HTTP exchange. The network implementation is
/// ``HTTPClientTransport``; tests may pass requests to an in-process application instead.
public protocol SimulatorTransport: Sendable {
    /// Sends a request with `method` to `target` (path and query) and returns the status and body.
    func send(method: String, target: String, headers: [(String, String)], body: [UInt8]) async throws
        -> SimulatorResponse
}
