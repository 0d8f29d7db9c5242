public import Logging
public import MKRPC
internal import NIOCore

/// Real RPC over TCP for tests where the network matters.
public enum LoopbackRPC {
    /// Serves `services` with an `RPCServer` on 127.0.0.1 (port 0) for the duration of `body`,
    /// which gets an `RPCClient` for it; the server shuts down gracefully afterwards, or is
    /// cancelled when `body` throws.
    public static func serving(
        _ services: [any RPCService], logger: Logger, _ body: (any RPCCaller) async throws -> Void
    ) async throws {
        let server = RPCServer(host: "127.0.0.1", port: 0, services: services, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            guard let port = try await server.listeningAddress().port else {
                throw RPCError(.internal, "the server has no port")
            }
            let client = RPCClient(host: "127.0.0.1", port: port, logger: logger)
            do {
                try await body(client)
            } catch {
                client.shutdown()
                group.cancelAll()
                throw error
            }
            client.shutdown()
            server.beginGracefulShutdown()
            try await group.waitForAll()
        }
    }

    /// A loopback port a server listened on a moment ago and nothing listens on now: a peer that
    /// is down.
    public static func closedPort(logger: Logger) async throws -> Int {
        let probe = RPCServer(host: "127.0.0.1", port: 0, services: [], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await probe.run() }
            let port = try await probe.listeningAddress().port
            probe.beginGracefulShutdown()
            try await group.waitForAll()
            guard let port else { throw RPCError(.internal, "the server had no port") }
            return port
        }
    }
}
