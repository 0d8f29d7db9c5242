import Crypto
import DeviceRegistry
import Foundation
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import Testing

@Suite("Sign-ins and other means")
struct RecordUseTests {
    @Test func aRepeatedSignInEventIsRecordedOnce() async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            var request = Mk_Registry_V1_RecordUseRequest()
            request.subject = subject
            request.means = .niaId
            request.eventId = "idp-event-1"
            request.origin = "Praha"
            #expect(try await fixture.registry.recordUse(request, options: RPCCallOptions()).recorded)
            let before = try await fixture.snapshot()
            #expect(try await !fixture.registry.recordUse(request, options: RPCCallOptions()).recorded)
            #expect(try await fixture.snapshot() == before)
            let signedIn = try await fixture.outboxEvents().compactMap(\.signedIn)
            #expect(signedIn.count == 1)
            #expect(signedIn.first?.means == "NIA_ID")
        }
    }

    @Test func aKeySignInMovesTheKeysLastUseAndNamesItInHistoryAuditAndEventOnce() async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            let device = try await fixture.pair(subject).device
            let deviceID = try #require(UUID(uuidString: device.deviceId))
            fixture.clock.advance(by: 60)
            var request = Mk_Registry_V1_RecordUseRequest()
            request.subject = subject
            request.means = .mobileKey
            request.deviceId = device.deviceId
            request.eventId = "idp-key-1"
            request.origin = "Brno"
            #expect(try await fixture.registry.recordUse(request, options: RPCCallOptions()).recorded)
            let before = try await fixture.snapshot()
            #expect(try await !fixture.registry.recordUse(request, options: RPCCallOptions()).recorded)
            #expect(try await fixture.snapshot() == before)

            let lastUsed = try await fixture.database.query(
                "SELECT last_used_at FROM device WHERE id = \(deviceID)").single(Date.self)
            #expect(abs(lastUsed.timeIntervalSince(fixture.clock.now())) < 0.000_001)
            let history = try await fixture.database.query(
                """
                SELECT device_id, device_display_name, detail, origin FROM history
                WHERE subject = \(subject) AND action = \(Mk_Registry_V1_HistoryAction.signedIn.rawValue)
                """
            ).decode((UUID?, String, String, String).self)
            #expect(history.count == 1)
            #expect(history.first?.0 == deviceID)
            #expect(history.first?.1 == "Pixel 8 (Google Pixel 8)")
            #expect(history.first?.2 == "MOBILE_KEY")
            #expect(history.first?.3 == "Brno")
            let audit = try await fixture.database.query(
                "SELECT device_id, detail FROM audit WHERE subject = \(subject) AND action = 'use_recorded'"
            ).decode((UUID?, String).self)
            #expect(audit.count == 1)
            #expect(audit.first?.0 == deviceID)
            #expect(audit.first?.1 == "means: MOBILE_KEY")
            let signedIn = try await fixture.outboxEvents().compactMap(\.signedIn)
            #expect(signedIn.map(\.deviceId) == [device.deviceId])
            #expect(signedIn.first?.origin == "Brno")
        }
    }

    @Test func anotherCitizensKeyIsNeitherTouchedNorNamed() async throws {
        try await RegistryFixture.with { fixture in
            let owner = RegistryFixture.newSubject()
            let device = try await fixture.pair(owner).device
            let deviceID = try #require(UUID(uuidString: device.deviceId))
            let other = RegistryFixture.newSubject()
            var request = Mk_Registry_V1_RecordUseRequest()
            request.subject = other
            request.means = .mobileKey
            request.deviceId = device.deviceId
            request.eventId = "idp-foreign-key"
            #expect(try await fixture.registry.recordUse(request, options: RPCCallOptions()).recorded)
            let lastUsed = try await fixture.database.query(
                "SELECT last_used_at FROM device WHERE id = \(deviceID)").single(Date?.self)
            #expect(lastUsed == nil)
            let history = try await fixture.database.query(
                "SELECT device_id, device_display_name FROM history WHERE subject = \(other)"
            ).decode((UUID?, String).self)
            #expect(history.count == 1)
            #expect(history.first?.0 == nil)
            #expect(history.first?.1 == "")
            let signedIn = try await fixture.outboxEvents().compactMap(\.signedIn)
            #expect(signedIn.map(\.deviceId) == [""])
        }
    }

    @Test func aSignInWithoutAnEventIdIsRecordedEveryTime() async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            try await fixture.recordOtherMeans(subject, .eop)
            fixture.clock.advance(by: 5)
            try await fixture.recordOtherMeans(subject, .eop)
            let means = try await fixture.database.query(
                "SELECT first_seen_at, last_used_at FROM known_means WHERE subject = \(subject)"
            ).decode((Date, Date).self)
            #expect(means.count == 1)
            #expect(means.first.map { ($0.1.timeIntervalSince($0.0)).rounded() } == 5)
            let counts = try await fixture.database.query(
                """
                SELECT (SELECT count(*) FROM history WHERE subject = \(subject)),
                       (SELECT count(*) FROM audit WHERE subject = \(subject) AND action = 'use_recorded'),
                       (SELECT count(*) FROM use_event WHERE subject = \(subject))
                """
            ).single((Int64, Int64, Int64).self)
            #expect(counts == (2, 2, 0))
            #expect(try await fixture.outboxEvents().compactMap(\.signedIn).count == 2)
        }
    }

    @Test func anUnknownSubjectsSignInIsRecordedAndItsMeansListed() async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            try await fixture.recordOtherMeans(subject, .eop)
            fixture.clock.advance(by: 5)
            try await fixture.recordOtherMeans(subject, .bankIdentity)
            let means = try await fixture.registry.listMeans(.init(subject: subject), options: RPCCallOptions())
            #expect(means.means.map(\.means) == [.bankIdentity, .eop])
        }
    }

    @Test func aKeyUseWithoutADeviceIdOrAnUnspecifiedMeansIsRefused() async throws {
        try await RegistryFixture.with { fixture in
            var request = Mk_Registry_V1_RecordUseRequest()
            request.subject = RegistryFixture.newSubject()
            request.means = .mobileKey
            let before = try await fixture.snapshot()
            let missing = await rpcError { try await fixture.registry.recordUse(request, options: RPCCallOptions()) }
            #expect(missing?.message.hasPrefix("device_id") == true)
            request.means = .unspecified
            let unspecified = await rpcError { try await fixture.registry.recordUse(request, options: RPCCallOptions()) }
            #expect(unspecified?.message.hasPrefix("means") == true)
            #expect(try await fixture.snapshot() == before)
        }
    }
}
