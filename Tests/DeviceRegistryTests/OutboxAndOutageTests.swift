import Crypto
import DeviceRegistry
import Foundation
import Logging
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import Testing

@Suite("Events and failures")
struct OutboxAndOutageTests {
    @Test func everyCommittedChangeHasItsEventAndARefusedOneHasNone() async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            let device = try await fixture.pair(subject).device
            _ = try await fixture.registry.renameDevice(
                .init(subject: subject, deviceId: device.deviceId, displayName: "Work"), options: RPCCallOptions())
            _ = await rpcError {
                try await fixture.registry.unpairDevice(
                    .init(subject: subject, deviceId: device.deviceId, confirmLastMeans: false, reason: .citizen),
                    options: RPCCallOptions())
            }
            var events = try await fixture.outboxEvents()
            #expect(events.map(\.type) == [.devicePaired, .deviceRenamed])
            #expect(events.allSatisfy { $0.subject == subject && $0.producer == "device-registry" })
            #expect(events.map(\.sequence) == events.map(\.sequence).sorted())
            #expect(events[0].devicePaired?.deviceId == device.deviceId)
            #expect(events[0].devicePaired?.platform == "ANDROID")

            _ = try await fixture.registry.unpairDevice(
                .init(subject: subject, deviceId: device.deviceId, confirmLastMeans: true, reason: .citizen),
                options: RPCCallOptions())
            events = try await fixture.outboxEvents()
            #expect(events.map(\.type) == [.devicePaired, .deviceRenamed, .deviceUnpaired])
        }
    }

    @Test func aDatabaseOutageAnswersUnavailableQuickly() async throws {
        var configuration = PostgresConfiguration(
            host: "127.0.0.1", port: 1, user: "nobody", database: "nothing", connectTimeout: .seconds(2),
            acquireTimeout: .seconds(2))
        configuration.maximumConnections = 1
        let database = PostgresClient(configuration: configuration)
        let service = DeviceRegistryService(client: database, logger: Logger(label: "test"))
        let registry = Mk_Registry_V1_DeviceRegistry.Client(caller: RPCInProcessCaller(services: [service]))
        let started = ContinuousClock.now
        let error = await rpcError {
            try await registry.listDevices(.init(subject: "someone"), options: RPCCallOptions())
        }
        await database.shutdown()
        #expect(error?.code == .unavailable)
        // Connect (2 s) and acquire (2 s) timeouts end it; a hang is what this guards against.
        #expect(ContinuousClock.now - started < .seconds(20))
    }
}
