import Foundation
import Logging
import MKContracts
import MKEvents
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import NIOCore
import Testing

@Suite("Transactional outbox and relay")
struct OutboxTests {
    struct Abort: Error {}

    @Test func anEventExistsIfAndOnlyIfItsTransactionCommits() async throws {
        try await EventsFixture.with { client in
            try await client.withConnection { try await Outbox.registerSubscriber("preferences", on: $0) }
            await #expect(throws: PostgresTransactionError.self) {
                try await client.withTransaction { connection in
                    try await Outbox.append(EventsFixture.event(subject: "a"), on: connection)
                    throw Abort()
                }
            }
            #expect(try await client.query("SELECT count(*) FROM outbox_event").single(Int64.self) == 0)
            #expect(try await client.query("SELECT count(*) FROM outbox_pending").single(Int64.self) == 0)

            let event = EventsFixture.event(subject: "a")
            let sequence = try await client.withTransaction { connection in
                try await Outbox.append(event, on: connection)
            }
            let stored = try await client.query("SELECT payload FROM outbox_event").single([UInt8].self)
            var expected = event
            expected.sequence = UInt64(sequence)
            #expect(try Mk_Events_V1_Event(serializedBytes: stored) == expected)
            #expect(
                try await client.query("SELECT subscriber FROM outbox_pending").decode(String.self) == ["preferences"])
        }
    }

    @Test func anEventIsQueuedOnlyForTheSubscribersThatTakeItsType() async throws {
        try await EventsFixture.with { client in
            try await client.withConnection { connection in
                try await Outbox.registerSubscriber("preferences", eventTypes: [.devicePaired], on: connection)
                try await Outbox.registerSubscriber("audit", on: connection)
            }
            var paired = EventsFixture.event(subject: "a")
            paired.type = .devicePaired
            let sequences = try await client.withTransaction { connection in
                try await Outbox.append([paired, EventsFixture.event(subject: "a")], on: connection)
            }
            func pending() async throws -> [String] {
                try await client.query(
                    "SELECT subscriber || ':' || sequence FROM outbox_pending ORDER BY subscriber, sequence"
                ).decode(String.self)
            }
            let (first, second) = (sequences[0], sequences[1])
            #expect(try await pending() == ["audit:\(first)", "audit:\(second)", "preferences:\(first)"])

            // Registering again sets the types anew: from now on it takes every type.
            try await client.withConnection { try await Outbox.registerSubscriber("preferences", on: $0) }
            let third = try await client.withTransaction { connection in
                try await Outbox.append(EventsFixture.event(subject: "a"), on: connection)
            }
            let preferences = try await pending().filter { $0.hasPrefix("preferences:") }
            #expect(preferences == ["preferences:\(first)", "preferences:\(third)"])
        }
    }

    @Test func applyOnceRecordsAnEventIdOnlyOnce() async throws {
        try await EventsFixture.with { client in
            let id = UUID()
            let first = try await client.withTransaction {
                try await EventInbox.applyOnce(eventID: id, producer: "p", on: $0)
            }
            let second = try await client.withTransaction {
                try await EventInbox.applyOnce(eventID: id, producer: "p", on: $0)
            }
            #expect(first)
            #expect(!second)
        }
    }

    @Test func theRelayRedeliversInOrderAfterTheSubscriberComesBackAndTheConsumerAppliesEachEventOnce()
        async throws
    {
        try await EventsFixture.with { client in
            let logger = Logger(label: "relay-test")
            let sink = TestSink(client: client, loseFirstAcknowledgement: true)
            // The subscriber is down.
            let port = try await LoopbackRPC.closedPort(logger: logger)
            let sinkClient = RPCClient(
                host: "127.0.0.1", port: port,
                configuration: RPCClient.Configuration(connectTimeout: .milliseconds(200), maximumAttempts: 1),
                logger: logger)
            let relay = OutboxRelay(
                client: client,
                subscribers: [OutboxSubscriber(name: "preferences", caller: sinkClient)],
                configuration: OutboxRelayConfiguration(
                    producer: "test", pollInterval: .milliseconds(20),
                    backoff: RPCBackoff(initial: .milliseconds(20), maximum: .milliseconds(100)), batchSize: 2),
                logger: logger)
            try await relay.registerSubscribers()
            let events = (0..<5).map { _ in EventsFixture.event(subject: "citizen-1") }
            for event in events {
                _ = try await client.withTransaction { try await Outbox.append(event, on: $0) }
            }

            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await relay.run() }
                try await Task.sleep(for: .milliseconds(300))
                #expect(try await client.query("SELECT count(*) FROM effect").single(Int64.self) == 0)
                #expect(try await client.query("SELECT count(*) FROM outbox_pending").single(Int64.self) == 5)

                let server = RPCServer(host: "127.0.0.1", port: port, services: [sink], logger: logger)
                group.addTask { try await server.run() }
                let deadline = ContinuousClock.now + .seconds(15)
                while try await client.query("SELECT count(*) FROM outbox_pending").single(Int64.self) > 0,
                    ContinuousClock.now < deadline
                {
                    try await Task.sleep(for: .milliseconds(20))
                }
                server.beginGracefulShutdown()
                sinkClient.shutdown()
                group.cancelAll()
                try? await group.waitForAll()
            }
            let applied = try await client.query("SELECT event_id, sequence FROM effect ORDER BY id")
                .decode((UUID, Int64).self)
            #expect(applied.map { $0.0.uuidString.lowercased() } == events.map(\.eventId))
            #expect(applied.map(\.1) == applied.map(\.1).sorted())
            // Each delivered event carries its own sequence number.
            #expect(Set(applied.map(\.1)).count == applied.count && applied.allSatisfy { $0.1 > 0 })
            #expect(sink.calls > 3)
            #expect(try await client.query("SELECT count(*) FROM outbox_pending").single(Int64.self) == 0)
        }
    }

    /// Every producing transaction holds `KEY SHARE` on the subscriber's row (its pending rows'
    /// foreign key) and the relay leases that row: the two must not exclude each other, or under
    /// load producers queue behind deliveries and the relay keeps skipping its turn.
    @Test func producersAndTheRelayLeaseDoNotWaitForEachOther() async throws {
        try await EventsFixture.with { client in
            let logger = Logger(label: "relay-test")
            try await GatedSink.serving(logger: logger) { sink, subscriber in
                let relay = OutboxRelay(
                    client: client, subscribers: [subscriber],
                    configuration: OutboxRelayConfiguration(producer: "test"), logger: logger)
                try await relay.registerSubscribers()
                let first = try await client.withTransaction {
                    try await Outbox.append(EventsFixture.event(subject: "citizen-1"), on: $0)
                }

                // A producer's transaction is open: the relay still delivers what is committed.
                let (second, passWhileProducing) = try await client.withTransaction { connection in
                    let second = try await Outbox.append(EventsFixture.event(subject: "citizen-2"), on: connection)
                    return (second, try await relay.deliverBatch(to: subscriber))
                }
                #expect(passWhileProducing == .delivered(1, through: first))

                // The relay is inside a delivery: a producer commits without waiting for it.
                sink.close()
                let delivery = Task { try await relay.deliverBatch(to: subscriber) }
                var entered = sink.entered.makeAsyncIterator()
                _ = await entered.next()
                let sequence = try await client.withTransaction { connection in
                    try await connection.execute("SET LOCAL lock_timeout = '2s'")
                    return try await Outbox.append(EventsFixture.event(subject: "citizen-3"), on: connection)
                }
                #expect(sequence > 0)
                sink.open()
                #expect(try await delivery.value == .delivered(1, through: second))
                #expect(try await relay.deliverBatch(to: subscriber) == .delivered(1, through: sequence))
                #expect(try await client.query("SELECT count(*) FROM outbox_pending").single(Int64.self) == 0)
            }
        }
    }

    /// A producer that must answer only once its change reached the subscribers delivers at once,
    /// waits for another replica's delivery in flight, and gives up at its limit when a subscriber
    /// hangs, leaving the event pending for the poller.
    @Test func promptDeliveryReachesTheSubscriberWaitsForALeaseAndGivesUpAtItsLimit() async throws {
        try await EventsFixture.with { client in
            let logger = Logger(label: "relay-test")
            try await GatedSink.serving(logger: logger) { sink, subscriber in
                func relay(limit: Duration) -> OutboxRelay {
                    OutboxRelay(
                        client: client, subscribers: [subscriber],
                        configuration: OutboxRelayConfiguration(producer: "test", promptDeliveryLimit: limit),
                        logger: logger)
                }
                let impatient = relay(limit: .milliseconds(300))
                let patient = relay(limit: .seconds(30))
                try await impatient.registerSubscribers()
                func pending() async throws -> Int64 {
                    try await client.query("SELECT count(*) FROM outbox_pending").single(Int64.self)
                }
                func append() async throws -> Int64 {
                    try await client.withTransaction {
                        try await Outbox.append(EventsFixture.event(subject: "citizen-1"), on: $0)
                    }
                }

                _ = try await append()
                #expect(await patient.deliverPromptly(through: try await append()))
                #expect(try await pending() == 0)

                // The subscriber hangs: the producer waits only up to its limit.
                var entered = sink.entered.makeAsyncIterator()
                sink.close()
                let hung = try await append()
                let started = ContinuousClock.now
                #expect(!(await impatient.deliverPromptly(through: hung)))
                #expect(ContinuousClock.now - started >= .milliseconds(300))
                #expect(try await pending() == 1)
                _ = await entered.next()

                // One replica is delivering the hung event; another one's prompt delivery waits
                // for that lease, then delivers its own event.
                let inFlight = Task { try await impatient.deliverBatch(to: subscriber) }
                _ = await entered.next()
                let later = try await append()
                let prompt = Task { await patient.deliverPromptly(through: later) }
                try await Task.sleep(for: .milliseconds(50))
                sink.open()
                #expect(try await inFlight.value == .delivered(1, through: hung))
                #expect(await prompt.value)
                #expect(try await pending() == 0)
            }
        }
    }
}
