import Logging
import MKMessages
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import MKRPC

/// Methods of the test service; every one exchanges `Mk_Rpc_V1_Metadata`.
enum EchoMethods {
    static let service = "mk.test.v1.Echo"
    /// Echoes the request.
    static let echo = RPCMethodDescriptor(service: service, method: "Echo", isIdempotent: true)
    /// Echoes after `request.caller` milliseconds.
    static let slow = RPCMethodDescriptor(service: service, method: "Slow", isIdempotent: true)
    /// Waits on the gate named `request.traceId` (or until cancelled), recording what happens.
    static let block = RPCMethodDescriptor(service: service, method: "Block", isIdempotent: false)
    /// Throws: `request.traceId` "domain" → NOT_FOUND, anything else → an unexpected error.
    static let fail = RPCMethodDescriptor(service: service, method: "Fail", isIdempotent: false)
    /// Answers what the handler saw: trace id, caller, milliseconds left until its deadline.
    static let inspect = RPCMethodDescriptor(service: service, method: "Inspect", isIdempotent: true)
    /// Calls `inspect` on the downstream caller and returns its answer.
    static let forward = RPCMethodDescriptor(service: service, method: "Forward", isIdempotent: true)
    /// Answers where the handler ran, before and after a suspension: "loop" on an event loop
    /// thread, "pool" elsewhere (comma-separated, in `traceId`).
    static let whereRuns = RPCMethodDescriptor(service: service, method: "Where", isIdempotent: true)
    /// A method no server has.
    static let missing = RPCMethodDescriptor(service: service, method: "Missing", isIdempotent: true)
}

/// A domain error that knows its wire status.
struct DeviceNotFound: Error, RPCErrorConvertible {
    var rpcError: RPCError { RPCError(.notFound, "No such device", reason: "DEVICE_NOT_FOUND") }
}

/// An error whose detail must never reach the caller.
struct SecretFailure: Error, CustomStringConvertible {
    var description: String { "database password is hunter2" }
}

/// What handlers report to the test: started, finished, cancelled, per tag.
final class CallRecorder: Sendable {
    enum Event: Hashable, Sendable {
        case started(String)
        case cancelled(String)
        case finished(String)
    }

    private struct State {
        var events: [Event] = []
        var waiters: [(Event, CheckedContinuation<Void, Never>)] = []
        var gates: [String: CheckedContinuation<Void, any Error>] = [:]
        var opened: Set<String> = []
    }

    private let state = Mutex(State())

    func record(_ event: Event) {
        let ready = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.events.append(event)
            let matching = state.waiters.filter { $0.0 == event }.map(\.1)
            state.waiters.removeAll { $0.0 == event }
            return matching
        }
        for waiter in ready { waiter.resume() }
    }

    func contains(_ event: Event) -> Bool {
        self.state.withLock { $0.events.contains(event) }
    }

    /// Waits until `event` was recorded (callers guard this with ``withTimeout``).
    func wait(for event: Event) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = self.state.withLock { state -> Bool in
                if state.events.contains(event) { return true }
                state.waiters.append((event, continuation))
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Blocks until ``open(_:)`` is called for `tag` or the task is cancelled.
    func gate(_ tag: String) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let open = self.state.withLock { state -> Bool in
                    if state.opened.contains(tag) || Task.isCancelled { return true }
                    state.gates[tag] = continuation
                    return false
                }
                if open { continuation.resume() }
            }
            try Task.checkCancellation()
        } onCancel: {
            self.state.withLock { $0.gates.removeValue(forKey: tag) }?.resume(throwing: CancellationError())
        }
    }

    func open(_ tag: String) {
        let gate = self.state.withLock { state in
            state.opened.insert(tag)
            return state.gates.removeValue(forKey: tag)
        }
        gate?.resume()
    }
}

/// The test service.
struct EchoService: RPCService {
    let recorder: CallRecorder
    /// Where `forward` sends its call.
    let downstream: (any RPCCaller)?

    init(recorder: CallRecorder = CallRecorder(), downstream: (any RPCCaller)? = nil) {
        self.recorder = recorder
        self.downstream = downstream
    }

    var methodHandlers: [RPCMethodHandler] {
        let recorder = self.recorder
        let downstream = self.downstream
        return [
            RPCMethodHandler(descriptor: EchoMethods.echo) { (request: Mk_Rpc_V1_Metadata, _: RPCContext) in
                request
            },
            RPCMethodHandler(descriptor: EchoMethods.slow) { (request: Mk_Rpc_V1_Metadata, _: RPCContext) in
                try await Task.sleep(for: .milliseconds(Int(request.caller) ?? 0))
                return request
            },
            RPCMethodHandler(descriptor: EchoMethods.block) { (request: Mk_Rpc_V1_Metadata, _: RPCContext) in
                let tag = request.traceId
                recorder.record(.started(tag))
                do {
                    try await recorder.gate(tag)
                } catch {
                    recorder.record(.cancelled(tag))
                    throw error
                }
                recorder.record(.finished(tag))
                return request
            },
            RPCMethodHandler(descriptor: EchoMethods.fail) {
                (request: Mk_Rpc_V1_Metadata, _: RPCContext) -> Mk_Rpc_V1_Metadata in
                if request.traceId == "domain" { throw DeviceNotFound() }
                throw SecretFailure()
            },
            RPCMethodHandler(descriptor: EchoMethods.inspect) { (_: Mk_Rpc_V1_Metadata, context: RPCContext) in
                let left = context.deadline.map { ContinuousClock.now.duration(to: $0) }
                return Mk_Rpc_V1_Metadata(
                    traceId: RPCTaskContext.traceID ?? "",
                    caller: context.metadata.caller,
                    idempotencyKey: left.map {
                        "\($0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000)"
                    } ?? "none"
                )
            },
            RPCMethodHandler(descriptor: EchoMethods.whereRuns) { (_: Mk_Rpc_V1_Metadata, _: RPCContext) in
                let place = { MultiThreadedEventLoopGroup.currentEventLoop == nil ? "pool" : "loop" }
                let before = place()
                try await Task.sleep(for: .milliseconds(1))
                return Mk_Rpc_V1_Metadata(traceId: "\(before),\(place())")
            },
            RPCMethodHandler(descriptor: EchoMethods.forward) { (request: Mk_Rpc_V1_Metadata, _: RPCContext) in
                guard let downstream else { throw RPCError(.failedPrecondition, "no downstream") }
                return try await downstream.unary(
                    EchoMethods.inspect,
                    request: request,
                    responseType: Mk_Rpc_V1_Metadata.self,
                    options: RPCCallOptions()
                )
            },
        ]
    }
}

extension RPCCaller {
    /// Calls a method that takes and returns `Mk_Rpc_V1_Metadata`.
    func call(
        _ method: RPCMethodDescriptor,
        _ request: Mk_Rpc_V1_Metadata = Mk_Rpc_V1_Metadata(),
        timeout: Duration? = nil,
        metadata: RPCMetadata = RPCMetadata()
    ) async throws -> Mk_Rpc_V1_Metadata {
        try await self.unary(
            method,
            request: request,
            responseType: Mk_Rpc_V1_Metadata.self,
            options: RPCCallOptions(timeout: timeout, metadata: metadata)
        )
    }
}

/// The error a call threw, as ``RPCError`` (recording an issue when it is anything else).
func rpcError(_ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async -> RPCError? {
    do {
        try await body()
        Issue.record("Expected the call to fail", sourceLocation: sourceLocation)
        return nil
    } catch let error as RPCError {
        return error
    } catch {
        Issue.record("Expected an RPCError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

struct TimedOut: Error, CustomStringConvertible {
    var description: String { "The test did not finish in time" }
}

/// Runs `body`, failing with ``TimedOut`` after `limit`: guards against hangs, never measures speed.
func withTimeout<T: Sendable>(
    _ limit: Duration = .seconds(30),
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw TimedOut()
        }
        return value
    }
}

let testLogger: Logger = {
    var logger = Logger(label: "mk.rpc.test")
    logger.logLevel = .critical
    return logger
}()

/// A server on 127.0.0.1 (port 0 unless given) running while `body` runs; cancelled afterwards.
func withServer<T: Sendable>(
    services: [any RPCService],
    port: Int = 0,
    configuration: RPCServer.Configuration = RPCServer.Configuration(),
    _ body: @escaping @Sendable (RPCServer, Int) async throws -> T
) async throws -> T {
    let server = RPCServer(
        host: "127.0.0.1",
        port: port,
        services: services,
        configuration: configuration,
        logger: testLogger
    )
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            try await server.run()
            return nil
        }
        defer { group.cancelAll() }
        let address = try await server.listeningAddress()
        return try await body(server, address.port ?? 0)
    }
}

/// A client of 127.0.0.1:`port`, shut down after `body`.
func withClient<T: Sendable>(
    port: Int,
    configuration: RPCClient.Configuration = RPCClient.Configuration(),
    _ body: (RPCClient) async throws -> T
) async throws -> T {
    let client = RPCClient(host: "127.0.0.1", port: port, configuration: configuration, logger: testLogger)
    defer { client.shutdown() }
    return try await body(client)
}
