import Foundation
import Hummingbird
import Logging
import MKServiceRuntime
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import Gateway

/// The request head and body deadlines against a real gateway listener over real TCP: a client
/// pacing its bytes slowly is cut off whatever the pace, while other connections are served.
@Suite("Request read deadlines")
struct ReadDeadlineTests {
    /// A head that takes the drip about 40 s to send (at one byte per 100 ms): far beyond the 1 s
    /// deadline under test, yet well within the 300 s idle timeout and the 90 s hang guard, so
    /// without the deadline the head would arrive and be answered.
    static let slowHead =
        "GET /prihlaseni HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + String(repeating: "a", count: 350) + "\r\n\r\n"

    @Test func aDripFedHeadIsCutOffWhileOtherConnectionsAreServed() async throws {
        let harness = GatewayHarness()
        try await Self.withListener(harness) { port in
            let outcome = try await RawConnection.open(port: port) { inbound, outbound in
                try await RawConnection.drip(
                    Array(Self.slowHead.utf8), every: .milliseconds(100), inbound: inbound, outbound: outbound
                ) {
                    // While the drip is under way, a normal request on its own connection is served.
                    let answer = try await RawConnection.exchange(
                        port: port, "GET /prihlaseni HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    #expect(answer.hasPrefix("HTTP/1.1 200 OK"))
                    #expect(answer.contains("Přihlásit"))
                }
            }
            #expect(outcome.sent < Self.slowHead.utf8.count, "the server waited for the whole head")
            #expect(outcome.received.isEmpty, "a route answered a head that never arrived")
        }
    }

    @Test func aDripFedBodyIsCutOffBeforeTheRouteActs() async throws {
        let harness = GatewayHarness()
        try await Self.withListener(harness) { port in
            let body = """
                {"activationCode":"ABCDE23456","deviceName":"Pixel","model":"Pixel 8","platform":"ANDROID",\
                "appVersion":"1.0","publicKey":"\(String(repeating: "A", count: 150))"}
                """
            let head =
                "POST /app/v1/pairings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n"
            let outcome = try await RawConnection.open(port: port) { inbound, outbound in
                try await outbound.write(ByteBuffer(string: head))
                return try await RawConnection.drip(
                    Array(body.utf8), every: .milliseconds(100), inbound: inbound, outbound: outbound) {}
            }
            #expect(outcome.sent < body.utf8.count, "the server waited for the whole body")
            #expect(outcome.received.isEmpty)
            #expect(!harness.registry.called.contains("CompletePairing"))
        }
    }

    @Test func completeRequestsAndIdleKeepAliveConnectionsAreUnaffected() async throws {
        let harness = GatewayHarness()
        try await Self.withListener(harness) { port in
            try await RawConnection.open(port: port) { inbound, outbound in
                var iterator = inbound.makeAsyncIterator()
                try await outbound.write(ByteBuffer(string: "GET /prihlaseni HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
                let first = try await RawConnection.read(&iterator, until: "</html>")
                #expect(first.hasPrefix("HTTP/1.1 200 OK"))
                // Waiting between requests longer than the head deadline is the idle timeout's business.
                try await Task.sleep(for: .milliseconds(1500))
                try await outbound.write(
                    ByteBuffer(
                        string: "GET /api/v1/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
                let second = try await RawConnection.read(&iterator, until: nil)
                #expect(second.hasPrefix("HTTP/1.1 200 OK"))
                #expect(second.contains("\"openapi\""))
            }
        }
    }

    @Test func aDripFedRequestAfterAQuickOneOnTheSameConnectionIsCutOff() async throws {
        // The quick request leaves the connection's one timer set for its own deadline; the slow one
        // starts half a second later, so the timer fires before its deadline and must re-arm for it.
        let harness = GatewayHarness()
        try await Self.withListener(harness) { port in
            try await RawConnection.open(port: port) { inbound, outbound in
                var iterator = inbound.makeAsyncIterator()
                try await outbound.write(ByteBuffer(string: "GET /prihlaseni HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
                #expect(try await RawConnection.read(&iterator, until: "</html>").hasPrefix("HTTP/1.1 200 OK"))
                try await Task.sleep(for: .milliseconds(500))
                let sent = SentCount()
                // Without the deadline the whole head (about 40 s) would be sent and answered: the read
                // stops at the answer's first bytes, so that fails the expectations below, not hangs.
                let drip = Task {
                    for byte in Self.slowHead.utf8 {
                        guard (try? await outbound.write(ByteBuffer(bytes: [byte]))) != nil else { return }
                        sent.count.withLock { $0 += 1 }
                        try? await Task.sleep(for: .milliseconds(100))
                    }
                }
                let rest = try? await RawConnection.read(&iterator, until: "HTTP/")
                drip.cancel()
                #expect(sent.count.withLock { $0 } < Self.slowHead.utf8.count, "the server waited for the whole head")
                #expect((rest ?? "").isEmpty, "a route answered a head that never arrived")
            }
        }
    }

    @Test func theDeadlinesAreReadAndValidated() throws {
        let base = ["SESSION_SECRET": String(repeating: "s", count: 32), "DEV_IDENTITY_PROVIDER": "true"]
        let defaults = try GatewayConfiguration(environment: EnvironmentSettings(base)) { _ in "" }
        #expect(defaults.headerReadTimeout == .seconds(10))
        #expect(defaults.bodyReadTimeout == .seconds(30))
        #expect(defaults.idleTimeout == .seconds(30))
        #expect(defaults.sessionRevocationCache == .seconds(2))
        let set = try GatewayConfiguration(
            environment: EnvironmentSettings(
                base.merging(
                    ["HEADER_READ_TIMEOUT_MS": "2500", "BODY_READ_TIMEOUT_MS": "4000", "SESSION_REVOCATION_CACHE_MS": "0"]
                ) { $1 })
        ) { _ in "" }
        #expect(set.headerReadTimeout == .milliseconds(2500))
        #expect(set.bodyReadTimeout == .milliseconds(4000))
        #expect(set.sessionRevocationCache == .zero)
        for (name, value) in [
            ("HEADER_READ_TIMEOUT_MS", "0"), ("HEADER_READ_TIMEOUT_MS", "999999"), ("BODY_READ_TIMEOUT_MS", "x"),
            ("IDLE_TIMEOUT_MS", "10"), ("SESSION_REVOCATION_CACHE_MS", "60000"),
        ] {
            #expect(throws: ConfigurationError.self, "\(name)=\(value)") {
                try GatewayConfiguration(environment: EnvironmentSettings(base.merging([name: value]) { $1 })) { _ in "" }
            }
        }
    }

    /// Runs the gateway's real HTTP listener on a free loopback port with 1 s head and body
    /// deadlines (and a 300 s idle timeout, so only the deadlines can cut a connection early).
    static func withListener(_ harness: GatewayHarness, _ body: (Int) async throws -> Void) async throws {
        var configuration = harness.configuration
        configuration.listenAddress = HostAndPort(host: "127.0.0.1", port: 0)
        configuration.headerReadTimeout = .seconds(1)
        configuration.bodyReadTimeout = .seconds(1)
        configuration.idleTimeout = .seconds(300)
        let (ports, bound) = AsyncStream.makeStream(of: Int.self)
        let application = try await buildApplication(
            configuration: configuration, backends: harness.backends, logger: Logger(label: "gateway-deadlines"),
            onServerRunning: { channel in
                bound.yield(channel.localAddress?.port ?? 0)
                bound.finish()
            })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            try await body(port)
            group.cancelAll()
        }
    }
}

/// Raw TCP connections to the gateway, so a test controls the pace of every byte.
enum RawConnection {
    typealias Inbound = NIOAsyncChannelInboundStream<ByteBuffer>
    typealias Outbound = NIOAsyncChannelOutboundWriter<ByteBuffer>

    /// What a drip achieved: how many bytes went out before the server closed, and what came back.
    struct DripOutcome: Sendable {
        var sent: Int
        var received: String
    }

    private enum Event: Sendable {
        case closed(received: String)
        case meanwhileDone
        case hung
        case other
    }

    /// Runs `body` with a fresh connection to `port`, closed afterwards.
    static func open<Value: Sendable>(
        port: Int, _ body: (Inbound, Outbound) async throws -> Value
    ) async throws -> Value {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in try await body(inbound, outbound) }
    }

    /// Sends `request` on a fresh connection and reads the answer until the server closes.
    static func exchange(port: Int, _ request: String) async throws -> String {
        try await open(port: port) { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            var iterator = inbound.makeAsyncIterator()
            return try await read(&iterator, until: nil)
        }
    }

    /// Reads from `iterator` until the server closes or `marker` has arrived.
    static func read(_ iterator: inout Inbound.AsyncIterator, until marker: String?) async throws -> String {
        var received = ""
        while let buffer = try await iterator.next() {
            received += String(buffer: buffer)
            if let marker, received.contains(marker) { break }
        }
        return received
    }

    /// Sends `bytes` one at a time, `pause` apart, until the server closes the connection, and
    /// runs `meanwhile` once the drip is under way. A hang guard of 90 s, far from the 1 s
    /// deadlines under test, fails the test instead of hanging it.
    static func drip(
        _ bytes: [UInt8], every pause: Duration, inbound: Inbound, outbound: Outbound,
        meanwhile: @escaping @Sendable () async throws -> Void
    ) async throws -> DripOutcome {
        let sent = SentCount()
        return try await withThrowingTaskGroup(of: Event.self) { group in
            group.addTask {
                for byte in bytes {
                    do {
                        try await outbound.write(ByteBuffer(bytes: [byte]))
                    } catch {
                        return .other
                    }
                    sent.count.withLock { $0 += 1 }
                    try await Task.sleep(for: pause)
                }
                return .other
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(300))
                try await meanwhile()
                return .meanwhileDone
            }
            group.addTask {
                var received = ""
                do {
                    // Any answer at all means a route saw the request: stop at its first bytes.
                    for try await buffer in inbound {
                        received += String(buffer: buffer)
                        break
                    }
                } catch {
                    // A reset ends the connection as surely as an orderly close.
                }
                return .closed(received: received)
            }
            group.addTask {
                try await Task.sleep(for: .seconds(90))
                return .hung
            }
            var received: String?
            var meanwhileDone = false
            while received == nil || !meanwhileDone, let event = try await group.next() {
                switch event {
                case .closed(let text): received = text
                case .meanwhileDone: meanwhileDone = true
                case .hung:
                    Issue.record("hang guard: the connection was neither closed nor served for 90 s")
                    received = received ?? ""
                    meanwhileDone = true
                case .other: break
                }
            }
            group.cancelAll()
            return DripOutcome(sent: sent.count.withLock { $0 }, received: received ?? "")
        }
    }
}

/// How many bytes a drip has sent, shared between its tasks.
final class SentCount: Sendable {
    let count = Mutex(0)
}
