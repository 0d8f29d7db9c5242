import Foundation
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import Preferences
import Testing

/// The Device Registry's and BOK's events: applied once, in any order.
@Suite("Events")
struct EventTests {
    @Test func aBatchDeliveredTwiceIsAppliedOnce() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let first = PreferencesFixture.newDevice()
            let second = PreferencesFixture.newDevice()
            let events = [PreferencesFixture.paired(first, of: subject), PreferencesFixture.paired(second, of: subject)]
            let request = Mk_Events_V1_DeliverEventsRequest(events: events)
            #expect(try await fixture.sink.deliverEvents(request, options: RPCCallOptions()).applied == 2)
            let after = try await fixture.snapshot()
            #expect(try await fixture.sink.deliverEvents(request, options: RPCCallOptions()).applied == 0)
            #expect(try await fixture.snapshot() == after)
            // The second key got the notice of the second pairing only, once.
            #expect(try await fixture.inbox(subject, first).count == 1)
            #expect(try await fixture.inbox(subject, second).isEmpty)
        }
    }

    @Test func unpairingRemovesTheKeysSettingsAndInbox() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let devices = try await fixture.pairKeys(2, for: subject)
            #expect(try await fixture.inbox(subject, devices[0]).count == 1)
            try await fixture.deliver(PreferencesFixture.unpaired(devices[0], of: subject))
            let grid = try await fixture.settings(subject)
            #expect(grid.devices.map(\.deviceId) == [devices[1]])
            let error = await rpcError { try await fixture.inbox(subject, devices[0]) }
            #expect(error?.code == .notFound)
            let rows = try await fixture.database.query(
                "SELECT count(*) FROM delivery WHERE device_id = \(UUID(uuidString: devices[0])!)").single(Int64.self)
            #expect(rows == 0)
            let bokPad = try await fixture.preferences.listBokPadDevices(.init(subject: subject), options: RPCCallOptions())
            #expect(bokPad.deviceIds == [devices[1]])
        }
    }

    @Test func anUnpairArrivingBeforeItsPairingNeverBringsTheKeyBack() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let device = PreferencesFixture.newDevice()
            let paired = PreferencesFixture.paired(device, of: subject)
            let unpaired = PreferencesFixture.unpaired(device, of: subject)
            #expect(try await fixture.deliver(unpaired) == 1)
            #expect(try await fixture.deliver(paired) == 1)
            #expect(try await fixture.settings(subject).devices.isEmpty)
            // A redelivery of the pairing (a relay retry) changes nothing either.
            #expect(try await fixture.deliver(paired, unpaired) == 0)
            #expect(try await fixture.settings(subject).devices.isEmpty)
            let bokPad = try await fixture.preferences.listBokPadDevices(.init(subject: subject), options: RPCCallOptions())
            #expect(bokPad.deviceIds.isEmpty)
        }
    }

    @Test func aLateRenameDoesNotOverwriteANewerName() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let device = PreferencesFixture.newDevice()
            var paired = PreferencesFixture.paired(device, of: subject)
            paired.occurredAtUnixMicros = 1_760_000_100_000_000
            var oldRename = PreferencesFixture.event(.deviceRenamed, subject: subject)
            oldRename.occurredAtUnixMicros = 1_760_000_000_000_000
            oldRename.deviceRenamed = Mk_Events_V1_DeviceRenamed(deviceId: device, displayName: "Starý název")
            try await fixture.deliver(paired, oldRename)
            let name = try await fixture.database.query(
                "SELECT display_name FROM device_setting WHERE device_id = \(UUID(uuidString: device)!)"
            ).single(String.self)
            #expect(name == "Pixel 8 (Google Pixel 8)")
        }
    }

    @Test func malformedEventsAreRecordedWithoutEffectSoTheQueueMovesOn() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            var missingPayload = PreferencesFixture.event(.devicePaired, subject: subject)
            missingPayload.devicePaired = nil
            let unknown = PreferencesFixture.event(.unrecognized(42), subject: subject)
            let valid = PreferencesFixture.paired(PreferencesFixture.newDevice(), of: subject)
            let applied = try await fixture.deliver(missingPayload, unknown, valid)
            #expect(applied == 3)
            #expect(try await fixture.settings(subject).devices.count == 1)
            let repeated = try await fixture.deliver(missingPayload, unknown)
            #expect(repeated == 0)
        }
    }

    @Test func anEmptyBatchIsInvalid() async throws {
        try await PreferencesFixture.with { fixture in
            let error = await rpcError {
                try await fixture.sink.deliverEvents(.init(events: []), options: RPCCallOptions())
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix("events:") == true)
        }
    }
}
