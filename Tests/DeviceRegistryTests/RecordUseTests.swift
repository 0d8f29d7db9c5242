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
