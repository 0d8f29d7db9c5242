import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A client's connections to one upstream address. A call made on the event loop of a slot with
/// an open connection takes that connection, so writing it and resuming its caller wake no other
/// thread; other calls are spread round-robin over the slots. A slot that backs off after failed
/// attempts is skipped, and when every slot backs off the call fails UNAVAILABLE at once (the
/// request was never sent, so the caller may retry it).
final class RPCConnectionPool: Sendable {
    private let host: String
    private let port: Int
    private let configuration: RPCClient.Configuration
    private let security: any RPCChannelSecurity
    private let logger: Logger
    private let slots: [RPCConnectionSlot]
    private let nextSlot = Atomic<UInt>(0)
    private let lastCallID = Atomic<UInt64>(0)

    init(
        host: String,
        port: Int,
        configuration: RPCClient.Configuration,
        eventLoopGroup: any EventLoopGroup,
        security: any RPCChannelSecurity,
        logger: Logger
    ) {
        self.host = host
        self.port = port
        self.configuration = configuration
        self.security = security
        self.logger = logger
        self.slots = (0..<max(1, configuration.connections)).map { _ in
            RPCConnectionSlot(eventLoop: eventLoopGroup.next())
        }
    }

    /// A new call id: never 0, never reused by this pool, so unique on any of its connections.
    func makeCallID() -> UInt64 {
        self.lastCallID.wrappingAdd(1, ordering: .relaxed).newValue
    }

    /// A ready connection, connecting one if needed; waits no later than `deadline`.
    func connection(until deadline: ContinuousClock.Instant) async throws(RPCAttemptError) -> RPCClientConnection {
        // A caller running on a slot's loop (``RPCEventLoopExecutor``) stays on it.
        for slot in self.slots where slot.eventLoop.inEventLoop {
            if let connection = slot.openConnection { return connection }
        }
        let start = self.nextSlot.wrappingAdd(1, ordering: .relaxed).oldValue
        for offset in 0..<UInt(self.slots.count) {
            let slot = self.slots[Int((start &+ offset) % UInt(self.slots.count))]
            switch slot.lease() {
            case .ready(let connection):
                return connection
            case .wait(let attempt):
                return try await Self.wait(for: attempt, until: deadline)
            case .connect(let promise):
                self.connect(slot, completing: promise)
                return try await Self.wait(for: promise.futureResult, until: deadline)
            case .backingOff:
                continue
            case .shutDown:
                throw RPCAttemptError(RPCError(.unavailable, "The client is shut down"), requestMayHaveBeenSent: false)
            }
        }
        throw RPCAttemptError(
            RPCError(.unavailable, "No connection to \(self.host):\(self.port): reconnecting after failed attempts"),
            requestMayHaveBeenSent: false
        )
    }

    /// Closes every connection; calls in flight fail UNAVAILABLE, later calls too.
    func shutDown() {
        for slot in self.slots {
            slot.shutDown()?.close(promise: nil)
        }
    }

    private func connect(_ slot: RPCConnectionSlot, completing promise: EventLoopPromise<RPCClientConnection>) {
        let configuration = self.configuration
        let security = self.security
        let logger = self.logger
        let host = self.host
        let port = self.port
        // Completed by the transport once the connection is set up (the TLS handshake, when there
        // is one); the connection is only handed out after that.
        let established = slot.eventLoop.makePromise(of: Void.self)
        let made = slot.eventLoop.makePromise(of: RPCClientConnection.self)
        ClientBootstrap(group: slot.eventLoop)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try security.configureClientChannel(channel, host: host).cascade(to: established)
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
                    let handler = RPCClientHandler(
                        maximumFrameSize: configuration.maximumFrameSize,
                        activity: activity,
                        logger: logger
                    )
                    try pipeline.addHandler(handler)
                    made.succeed(RPCClientConnection(channel: channel, handler: handler))
                }
            }
            .connect(host: host, port: port)
            .flatMap { channel in
                established.futureResult.flatMap { made.futureResult }.flatMapErrorThrowing { error in
                    channel.close(promise: nil)
                    throw error
                }
            }
            .whenComplete { result in
                // A connection that failed before its initializer ran never completed them.
                let notEstablished = RPCError(.unavailable, "The connection was not established")
                established.fail(notEstablished)
                made.fail(notEstablished)
                switch result {
                case .success(let connection):
                    let channel = connection.channel
                    guard slot.connected(connection) else {
                        channel.close(promise: nil)
                        promise.fail(
                            RPCAttemptError(
                                RPCError(.unavailable, "The client is shut down"), requestMayHaveBeenSent: false)
                        )
                        return
                    }
                    channel.closeFuture.whenComplete { _ in slot.closed(channel) }
                    logger.debug("Connected", metadata: ["rpc-upstream": "\(host):\(port)"])
                    promise.succeed(connection)
                case .failure(let error):
                    let delay = slot.connectFailed(backoff: configuration.reconnectBackoff)
                    logger.notice(
                        "Cannot connect",
                        metadata: [
                            "rpc-upstream": "\(host):\(port)", "error": "\(error)",
                            "retry-in": "\(delay.map { "\($0)" } ?? "-")",
                        ]
                    )
                    promise.fail(
                        RPCAttemptError(
                            RPCError(.unavailable, "Cannot connect to \(host):\(port)"),
                            requestMayHaveBeenSent: false
                        )
                    )
                }
            }
    }

    /// Waits for a connection attempt, but no later than `deadline` and not past the task's
    /// cancellation (the attempt itself goes on for the callers after this one).
    private static func wait(
        for attempt: EventLoopFuture<RPCClientConnection>,
        until deadline: ContinuousClock.Instant
    ) async throws(RPCAttemptError) -> RPCClientConnection {
        let eventLoop = attempt.eventLoop
        let waiter = eventLoop.makePromise(of: RPCClientConnection.self)
        attempt.cascade(to: waiter)
        let timeout = eventLoop.scheduleTask(deadline: RPCCallSetup.nioDeadline(for: deadline)) {
            waiter.fail(
                RPCAttemptError(
                    RPCError(.deadlineExceeded, "The deadline passed while connecting"),
                    requestMayHaveBeenSent: false
                )
            )
        }
        defer { timeout.cancel() }
        do {
            return try await withTaskCancellationHandler {
                try await waiter.futureResult.get()
            } onCancel: {
                waiter.fail(
                    RPCAttemptError(RPCError(.cancelled, "The call was cancelled"), requestMayHaveBeenSent: false)
                )
            }
        } catch let error as RPCAttemptError {
            throw error
        } catch {
            throw RPCAttemptError(RPCError(.unavailable, "Cannot connect: \(error)"), requestMayHaveBeenSent: false)
        }
    }
}
