import CoreMetrics
public import Logging
import MKMessages
public import NIOCore
public import NIOPosix
public import ServiceLifecycle
import Synchronization

/// Serves ``RPCService``s over TCP with the framing of `proto/README.md`: many calls per
/// connection, answered out of order, dispatched by fully qualified method name.
///
/// A `Service` for swift-service-lifecycle: ``run()`` listens until the service group shuts down.
/// A graceful shutdown stops accepting, turns the health status to NOT_SERVING, refuses new calls
/// (UNAVAILABLE), lets calls in flight finish for up to ``Configuration/drainTimeout`` and then
/// closes every connection. Every server also answers `mk.rpc.v1.Health/Check`
/// (``healthCheckMethod``).
///
/// Connections are protected as ``Configuration/security`` says: with mutual TLS every caller is
/// authenticated by its certificate and each call is checked against
/// ``Configuration/authorization`` before its handler runs (PERMISSION_DENIED otherwise); plaintext
/// listens on loopback only and authorizes nothing.
///
/// Handlers run in their own tasks, started on the connection's event loop, with ``RPCTaskContext``
/// bound; a handler is cancelled when its deadline passes (the caller gets DEADLINE_EXCEEDED), when the client sends CANCEL, or when
/// its connection closes.
public final class RPCServer: Service, Sendable {
    /// `mk.rpc.v1.Health/Check`, answered by every server: request `Mk_Rpc_V1_HealthCheckRequest`,
    /// response `Mk_Rpc_V1_HealthCheckResponse`.
    public static let healthCheckMethod = RPCHealthService.check

    /// The longest deadline honoured; a longer timeout from a peer is shortened to it (and keeps
    /// the arithmetic far from overflow).
    static let longestTimeoutMicros: UInt64 = 24 * 3_600 * 1_000_000

    private enum Lifecycle {
        case idle(waiters: [CheckedContinuation<SocketAddress, any Error>])
        case listening(channel: any Channel, address: SocketAddress)
        case shuttingDown(address: SocketAddress?)
        case finished(address: SocketAddress?)
    }

    private let host: String
    private let port: Int
    let configuration: Configuration
    private let eventLoopGroup: any EventLoopGroup
    let logger: Logger
    let security: any RPCChannelSecurity
    let methods: RPCMethodRegistry
    let health: RPCHealthService.Status
    let metrics: RPCServerMetrics
    let limiter: RPCConcurrencyLimiter
    let connections: RPCConnectionRegistry
    private let lifecycle = Mutex(Lifecycle.idle(waiters: []))

    /// Creates a server for `services` on `host`:`port` (port 0 picks a free port; see
    /// ``listeningAddress()``), protected as ``Configuration/security`` says. Two handlers for one
    /// method name are a programming error.
    public init(
        host: String,
        port: Int,
        services: [any RPCService],
        configuration: Configuration = Configuration(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        precondition(
            configuration.maximumFrameSize > 0
                && configuration.maximumFrameSize <= RPCFrameDecoder.largestMaximumFrameSize,
            "maximumFrameSize must be in 1...\(UInt32.max)"
        )
        precondition(configuration.maximumConcurrentCalls > 0, "maximumConcurrentCalls must be positive")
        precondition(configuration.maximumConnections > 0, "maximumConnections must be positive")
        self.host = host
        self.port = port
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.security = configuration.security.channelSecurity
        let health = RPCHealthService.Status(.serving)
        let userServices = RPCMethodRegistry(services: services)
        self.health = health
        self.methods = RPCMethodRegistry(
            services: services + [RPCHealthService(status: health, serviceNames: userServices.serviceNames)]
        )
        self.metrics = RPCServerMetrics(
            methodNames: self.methods.methodNames,
            factory: configuration.metricsFactory ?? MetricsSystem.factory
        )
        self.limiter = RPCConcurrencyLimiter(maximum: configuration.maximumConcurrentCalls)
        self.connections = RPCConnectionRegistry(maximum: configuration.maximumConnections)
    }

    /// What the health method answers. Set it to ``RPCServingStatus/notServing`` while a dependency
    /// the server cannot work without is down; a graceful shutdown sets it for good.
    public var servingStatus: RPCServingStatus {
        get { self.health.current }
        set {
            let shuttingDown = self.lifecycle.withLock { state in
                switch state {
                case .idle, .listening: false
                case .shuttingDown, .finished: true
                }
            }
            // Once draining, the server never claims to serve again.
            if !shuttingDown {
                self.health.current = newValue
            }
        }
    }

    /// The port the server listens on (useful after binding port 0); waits like
    /// ``listeningAddress()``.
    public func listeningPort() async throws -> Int {
        guard let port = try await self.listeningAddress().port else {
            throw RPCError(.unavailable, "The server is not listening on an IP port")
        }
        return port
    }

    /// The address the server listens on, once it does: waits until ``run()`` has bound its socket.
    /// Throws when binding failed or the server shut down before listening.
    public func listeningAddress() async throws -> SocketAddress {
        try await withCheckedThrowingContinuation { continuation in
            let result = self.lifecycle.withLock { state -> Result<SocketAddress, any Error>? in
                switch state {
                case .idle(var waiters):
                    waiters.append(continuation)
                    state = .idle(waiters: waiters)
                    return nil
                case .listening(_, let address):
                    return .success(address)
                case .shuttingDown(let address), .finished(let address):
                    if let address { return .success(address) }
                    return .failure(RPCError(.unavailable, "The server is not listening"))
                }
            }
            if let result {
                continuation.resume(with: result)
            }
        }
    }

    /// Listens and serves until a graceful shutdown (from the service group or
    /// ``beginGracefulShutdown()``) has drained, or until the task is cancelled (which closes every
    /// connection at once). A failing connection never ends it; failing to bind does, and so does
    /// plaintext security on a host that is not loopback (FAILED_PRECONDITION, before binding).
    public func run() async throws {
        let serverChannel: NIOAsyncChannel<RPCServerConnection, Never>
        do {
            try self.security.checkListenHost(self.host)
            serverChannel = try await self.bind()
        } catch {
            self.finishListening(failure: error)
            throw error
        }
        guard let address = self.startListening(on: serverChannel.channel) else {
            // A shutdown was requested before the socket was bound.
            try await serverChannel.executeThenClose { _ in }
            return
        }
        defer { self.finishListening(failure: nil) }
        self.logger.info("RPC server listening", metadata: ["address": "\(address)"])
        self.logSecurity()

        try await withGracefulShutdownHandler {
            try await serverChannel.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        guard let id = self.connections.admit(connection.state) else {
                            self.logger.warning(
                                "Refusing a connection: the connection limit is reached",
                                metadata: ["rpc-peer": "\(connection.peer)", "limit": "\(self.connections.maximum)"]
                            )
                            connection.channel.close(promise: nil)
                            continue
                        }
                        group.addTask {
                            await self.serve(connection, id: id)
                        }
                    }
                    // The listener closed: a graceful shutdown began, or this task was cancelled.
                    if !Task.isCancelled {
                        await self.drain()
                    }
                    group.cancelAll()
                }
            }
        } onGracefulShutdown: {
            self.beginGracefulShutdown()
        }
        self.logger.info("RPC server stopped", metadata: ["address": "\(address)"])
    }

    /// Starts a graceful shutdown: stop accepting, answer NOT_SERVING, refuse new calls, and let
    /// ``run()`` return once calls in flight finished or the drain timeout passed. Idempotent; the
    /// service group calls it on SIGTERM.
    public func beginGracefulShutdown() {
        // Connections refuse new calls before anyone can see NOT_SERVING.
        self.connections.startDraining()
        self.health.current = .notServing
        let listener = self.lifecycle.withLock { state -> (any Channel)? in
            switch state {
            case .idle(let waiters):
                state = .shuttingDown(address: nil)
                for waiter in waiters {
                    waiter.resume(throwing: RPCError(.unavailable, "The server shut down before listening"))
                }
                return nil
            case .listening(let channel, let address):
                state = .shuttingDown(address: address)
                return channel
            case .shuttingDown, .finished:
                return nil
            }
        }
        if let listener {
            self.logger.info("RPC server draining", metadata: ["connections": "\(self.connections.count)"])
            listener.close(promise: nil)
        }
    }

    // MARK: - Listening

    private func bind() async throws -> NIOAsyncChannel<RPCServerConnection, Never> {
        let configuration = self.configuration
        let security = self.security
        let logger = self.logger
        return try await ServerBootstrap(group: self.eventLoopGroup)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .bind(host: self.host, port: self.port) { channel in
                channel.eventLoop.makeCompletedFuture { [self] in
                    let peerIdentity = try security.configureServerChannel(channel)
                    let activity = RPCConnectionActivity()
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(
                        ByteToMessageHandler(RPCFrameDecoder(maximumFrameSize: configuration.maximumFrameSize))
                    )
                    try pipeline.addHandler(
                        RPCConnectionTimeoutHandler(
                            frameTimeout: TimeAmount(configuration.frameTimeout),
                            idleTimeout: TimeAmount(configuration.idleTimeout),
                            activity: activity,
                            logger: logger
                        )
                    )
                    let peer = channel.remoteAddress.map { "\($0)" } ?? "?"
                    let finished = channel.eventLoop.makePromise(of: Void.self)
                    let handler = RPCServerHandler(server: self, activity: activity, peer: peer, finished: finished)
                    do {
                        try pipeline.addHandler(handler)
                    } catch {
                        finished.fail(error)
                        throw error
                    }
                    return RPCServerConnection(
                        channel: channel,
                        state: RPCServerConnectionState(
                            channel: channel, handler: handler, finished: finished.futureResult),
                        peerIdentity: peerIdentity,
                        peer: peer
                    )
                }
            }
    }

    /// Records the bound address and wakes whoever waits for it; `nil` when a shutdown came first.
    private func startListening(on channel: any Channel) -> SocketAddress? {
        guard let address = channel.localAddress else { return nil }
        let waiters = self.lifecycle.withLock { state -> [CheckedContinuation<SocketAddress, any Error>]? in
            guard case .idle(let waiters) = state else { return nil }
            state = .listening(channel: channel, address: address)
            return waiters
        }
        guard let waiters else { return nil }
        for waiter in waiters {
            waiter.resume(returning: address)
        }
        return address
    }

    private func finishListening(failure: (any Error)?) {
        let waiters = self.lifecycle.withLock { state -> [CheckedContinuation<SocketAddress, any Error>] in
            switch state {
            case .idle(let waiters):
                state = .finished(address: nil)
                return waiters
            case .listening(_, let address):
                state = .finished(address: address)
                return []
            case .shuttingDown(let address), .finished(let address):
                state = .finished(address: address)
                return []
            }
        }
        for waiter in waiters {
            waiter.resume(throwing: failure ?? RPCError(.unavailable, "The server stopped"))
        }
    }

    /// Waits until every connection closed (each closes after its last call) or the drain timeout.
    private func drain() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.connections.waitUntilEmpty() }
            group.addTask { try? await Task.sleep(for: self.configuration.drainTimeout) }
            await group.next()
            group.cancelAll()
        }
        let remaining = self.connections.count
        if remaining > 0 {
            self.logger.warning(
                "Drain timeout passed; closing connections with calls in flight",
                metadata: ["connections": "\(remaining)"]
            )
        }
    }
}
