import Crypto
import DeviceRegistry
import Foundation
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import Testing

@Suite("Listing, renaming and unpairing keys")
struct DeviceManagementTests {
    @Test func keysAreListedByPairingTimeWithLastUseAbsentUntilFirstUse() async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            let first = try await fixture.pair(subject, deviceName: "iPhone", model: "iPhone 15").device
            fixture.clock.advance(by: 10)
            let second = try await fixture.pair(subject).device
            var listed = try await fixture.registry.listDevices(.init(subject: subject), options: RPCCallOptions())
            #expect(listed.devices.map(\.deviceId) == [first.deviceId, second.deviceId])
            #expect(listed.devices.allSatisfy { $0.lastUsedAtUnixMicros == 0 })

            fixture.clock.advance(by: 10)
            var use = Mk_Registry_V1_RecordUseRequest()
            use.subject = subject
            use.means = .mobileKey
            use.deviceId = second.deviceId
            _ = try await fixture.registry.recordUse(use, options: RPCCallOptions())
            listed = try await fixture.registry.listDevices(.init(subject: subject), options: RPCCallOptions())
            #expect(listed.devices[0].lastUsedAtUnixMicros == 0)
            #expect(listed.devices[1].lastUsedAtUnixMicros == Int64(fixture.clock.now().timeIntervalSince1970 * 1_000_000))
        }
    }

    @Test func renamingTrimsAllowsEmojiAndAnEmptyNameRestoresTheDefault() async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            let device = try await fixture.pair(subject).device
            let family = "Máma 👩‍👩‍👧‍👦 telefon"
            var renamed = try await fixture.registry.renameDevice(
                .init(subject: subject, deviceId: device.deviceId, displayName: "  \(family)  "),
                options: RPCCallOptions())
            #expect(renamed.device?.displayName == family)
            #expect(renamed.device?.renamed == true)
            renamed = try await fixture.registry.renameDevice(
                .init(subject: subject, deviceId: device.deviceId, displayName: " "), options: RPCCallOptions())
            #expect(renamed.device?.displayName == "Pixel 8 (Google Pixel 8)")
            #expect(renamed.device?.renamed == false)
            let events = try await fixture.outboxEvents().map(\.type)
            #expect(events == [.devicePaired, .deviceRenamed, .deviceRenamed])
        }
    }

    @Test func sixtyFourCharactersAreCountedAsCharactersNotBytes() async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            let device = try await fixture.pair(subject).device
            let name = String(repeating: "ř", count: 64)
            let renamed = try await fixture.registry.renameDevice(
                .init(subject: subject, deviceId: device.deviceId, displayName: name), options: RPCCallOptions())
            #expect(renamed.device?.displayName == name)
        }
    }

    static let badNames = [
        String(repeating: "a", count: 65), "tab\there", "bidi\u{202E}override", "zero\u{200B}width",
        "\u{200D}joiner first", "line\u{2028}separator", "private\u{E000}use",
    ]

    @Test(arguments: badNames)
    func aBadNameIsRefusedAndChangesNothing(_ name: String) async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            let device = try await fixture.pair(subject).device
            let before = try await fixture.snapshot()
            let error = await rpcError {
                try await fixture.registry.renameDevice(
                    .init(subject: subject, deviceId: device.deviceId, displayName: name), options: RPCCallOptions())
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix("display_name") == true)
            #expect(try await fixture.snapshot() == before)
        }
    }

    @Test func renamingAnotherCitizensKeyIsIdenticalToAnUnknownKey() async throws {
        try await RegistryFixture.with { fixture in
            let owner = RegistryFixture.newSubject()
            let device = try await fixture.pair(owner).device
            let stranger = RegistryFixture.newSubject()
            let before = try await fixture.snapshot()
            let foreign = await rpcError {
                try await fixture.registry.renameDevice(
                    .init(subject: stranger, deviceId: device.deviceId, displayName: "Mine"), options: RPCCallOptions())
            }
            let unknown = await rpcError {
                try await fixture.registry.renameDevice(
                    .init(subject: stranger, deviceId: UUID().uuidString.lowercased(), displayName: "Mine"),
                    options: RPCCallOptions())
            }
            #expect(foreign?.code == .notFound)
            #expect(foreign == unknown)
            #expect(try await fixture.snapshot() == before)
        }
    }

    @Test func aNonUUIDDeviceIdIsRefused() async throws {
        try await RegistryFixture.with { fixture in
            let error = await rpcError {
                try await fixture.registry.getDevice(
                    .init(subject: RegistryFixture.newSubject(), deviceId: "not-a-uuid"), options: RPCCallOptions())
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix("device_id") == true)
        }
    }

    @Test func unpairingTheLastKeyNeedsConfirmation() async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            let device = try await fixture.pair(subject).device
            let check = try await fixture.registry.checkLastMeans(
                .init(subject: subject, deviceId: device.deviceId), options: RPCCallOptions())
            #expect(check.lastMeans)

            let before = try await fixture.snapshot()
            let refused = await rpcError {
                try await fixture.registry.unpairDevice(
                    .init(subject: subject, deviceId: device.deviceId, confirmLastMeans: false, reason: .citizen),
                    options: RPCCallOptions())
            }
            #expect(refused?.code == .failedPrecondition)
            #expect(refused?.reason == "LAST_MEANS")
            #expect(try await fixture.snapshot() == before)

            let confirmed = try await fixture.registry.unpairDevice(
                .init(subject: subject, deviceId: device.deviceId, confirmLastMeans: true, reason: .citizen),
                options: RPCCallOptions())
            #expect(confirmed.unpaired)
            #expect(confirmed.noMeansLeft)
            let listed = try await fixture.registry.listDevices(.init(subject: subject), options: RPCCallOptions())
            #expect(listed.devices.isEmpty)
            let unpaired = try #require(try await fixture.outboxEvents().last?.deviceUnpaired)
            #expect(unpaired.noMeansLeft)
            #expect(unpaired.reason == "CITIZEN")

            let again = try await fixture.registry.unpairDevice(
                .init(subject: subject, deviceId: device.deviceId, confirmLastMeans: false, reason: .citizen),
                options: RPCCallOptions())
            #expect(!again.unpaired)
        }
    }

    @Test func anotherKnownMeansMakesUnpairingTheOnlyKeyUnconfirmedSafe() async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            let device = try await fixture.pair(subject).device
            try await fixture.recordOtherMeans(subject, .bankIdentity)
            let response = try await fixture.registry.unpairDevice(
                .init(subject: subject, deviceId: device.deviceId, confirmLastMeans: false, reason: .notMe),
                options: RPCCallOptions())
            #expect(response.unpaired)
            #expect(!response.noMeansLeft)
        }
    }

    @Test func anotherActiveKeyMakesUnpairingUnconfirmedSafe() async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            let device = try await fixture.pair(subject).device
            _ = try await fixture.pair(subject)
            let response = try await fixture.registry.unpairDevice(
                .init(subject: subject, deviceId: device.deviceId, confirmLastMeans: false, reason: .citizen),
                options: RPCCallOptions())
            #expect(response.unpaired)
        }
    }

    @Test func theHistoryKeepsEveryPairingRenameUnpairingAndSignInNewestFirst() async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            let device = try await fixture.pair(subject).device
            fixture.clock.advance(by: 1)
            _ = try await fixture.registry.renameDevice(
                .init(subject: subject, deviceId: device.deviceId, displayName: "Work"), options: RPCCallOptions())
            fixture.clock.advance(by: 1)
            try await fixture.recordOtherMeans(subject, .eop)
            fixture.clock.advance(by: 1)
            _ = try await fixture.registry.unpairDevice(
                .init(subject: subject, deviceId: device.deviceId, confirmLastMeans: false, reason: .operator),
                options: RPCCallOptions())
            let history = try await fixture.registry.listDeviceHistory(
                .init(subject: subject, limit: 0, beforeUnixMicros: 0), options: RPCCallOptions())
            #expect(history.entries.map(\.action) == [.unpaired, .signedIn, .renamed, .paired])
            #expect(history.entries[0].detail == "OPERATOR")
            #expect(history.entries[0].origin == "office")
            #expect(history.entries[0].deviceDisplayName == "Work")
            #expect(history.entries[1].detail == "EOP")
            #expect(history.entries[3].origin == "app")

            let older = try await fixture.registry.listDeviceHistory(
                .init(subject: subject, limit: 1, beforeUnixMicros: history.entries[1].atUnixMicros),
                options: RPCCallOptions())
            #expect(older.entries.map(\.action) == [.renamed])

            let audit = try await fixture.database.query("SELECT action FROM audit ORDER BY id").decode(String.self)
            #expect(audit == ["pairing_started", "device_paired", "device_renamed", "use_recorded", "device_unpaired"])
        }
    }

    @Test func aHistoryLimitAbove500IsRefused() async throws {
        try await RegistryFixture.with { fixture in
            let error = await rpcError {
                try await fixture.registry.listDeviceHistory(
                    .init(subject: RegistryFixture.newSubject(), limit: 501, beforeUnixMicros: 0), options: RPCCallOptions())
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix("limit") == true)
        }
    }
}
