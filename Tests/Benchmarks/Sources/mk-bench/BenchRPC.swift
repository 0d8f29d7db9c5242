import Logging
import MKRPC

/// Real RPC over loopback TCP for the sections that run services in-process.
enum BenchRPC {
    /// Serves `services` with an `RPCServer` on 127.0.0.1 (a free port) while `body` runs with an
    /// `RPCClient` for it (production defaults); the server shuts down gracefully afterwards, or is
    /// cancelled when `body` throws.
    static func serving<Result: Sendable>(
        _ services: [any RPCService], logger: Logger, _ body: (RPCClient) async throws -> Result
    ) async throws -> Result {
        let server = RPCServer(host: "127.0.0.1", port: 0, services: services, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let client: RPCClient
            do {
                client = RPCClient(host: "127.0.0.1", port: try await server.listeningPort(), logger: logger)
            } catch {
                group.cancelAll()
                throw error
            }
            do {
                let result = try await body(client)
                client.shutdown()
                server.beginGracefulShutdown()
                try await group.waitForAll()
                return result
            } catch {
                client.shutdown()
                group.cancelAll()
                throw error
            }
        }
    }
}
