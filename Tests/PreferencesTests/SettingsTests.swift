import Foundation
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import Preferences
import Testing

/// The grid: defaults from pairing, all-or-nothing saves, stale versions.
@Suite("Settings grid")
struct SettingsTests {
    @Test func aNewlyPairedKeyGetsInformativeLoginAndBokPadOn() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let before = try await fixture.settings(subject)
            #expect(before.devices.isEmpty)
            let devices = try await fixture.pairKeys(2, for: subject)
            let grid = try await fixture.settings(subject)
            #expect(grid.devices.map(\.deviceId) == devices)
            #expect(grid.devices.allSatisfy { $0.informative && $0.login && $0.bokPad })
            #expect(grid.version > before.version)
            let bokPad = try await fixture.preferences.listBokPadDevices(.init(subject: subject), options: RPCCallOptions())
            #expect(bokPad.deviceIds == devices)
        }
    }

    @Test func anUnknownCitizenSeesBothContactRowsWithInformativeOn() async throws {
        try await PreferencesFixture.with { fixture in
            let grid = try await fixture.settings(PreferencesFixture.newSubject())
            #expect(grid.contacts.map(\.channel) == [.email, .sms])
            #expect(grid.contacts.allSatisfy { $0.informative && !$0.present && $0.address.isEmpty })
            #expect(grid.version == 0)
        }
    }

    @Test func savingChangesEverySwitchAndIncreasesTheVersion() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let devices = try await fixture.pairKeys(2, for: subject)
            var grid = try await fixture.settings(subject)
            grid.contacts[0].informative = false
            grid.devices[1].login = false
            grid.devices[1].bokPad = false
            grid.devices[0].informative = false
            let saved = try await fixture.save(subject, grid)
            #expect(saved.version == grid.version + 1)
            #expect(saved.contacts[0].informative == false && saved.contacts[1].informative)
            let name = "Pixel 8 (Google Pixel 8)"
            #expect(
                saved.devices[0]
                    == .init(deviceId: devices[0], informative: false, login: true, bokPad: true, displayName: name))
            #expect(
                saved.devices[1]
                    == .init(deviceId: devices[1], informative: true, login: false, bokPad: false, displayName: name))
            #expect(try await fixture.settings(subject) == saved)
            let bokPad = try await fixture.preferences.listBokPadDevices(.init(subject: subject), options: RPCCallOptions())
            #expect(bokPad.deviceIds == [devices[0]])
            let audit = try await fixture.database.query(
                "SELECT count(*) FROM audit WHERE subject = \(subject) AND action = 'settings_saved'").single(Int64.self)
            #expect(audit == 1)
        }
    }

    @Test func theGridNamesEachKeyAsTheRegistryLastToldAndASavedNameIsIgnored() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let device = PreferencesFixture.newDevice()
            var paired = PreferencesFixture.paired(device, of: subject, name: "Telefon Jany")
            paired.occurredAtUnixMicros = 1_760_000_000_000_000
            try await fixture.deliver(paired)
            #expect(try await fixture.settings(subject).devices.map(\.displayName) == ["Telefon Jany"])
            var renamed = PreferencesFixture.event(.deviceRenamed, subject: subject)
            renamed.occurredAtUnixMicros = 1_760_000_100_000_000
            renamed.deviceRenamed = Mk_Events_V1_DeviceRenamed(deviceId: device, displayName: "Můj <b>klíč</b>")
            try await fixture.deliver(renamed)
            var grid = try await fixture.settings(subject)
            #expect(grid.devices.map(\.displayName) == ["Můj <b>klíč</b>"])
            // The name is the registry's to change: a save carrying another one keeps it.
            grid.devices[0].displayName = "Jiný název"
            grid.devices[0].login = false
            let saved = try await fixture.save(subject, grid)
            #expect(saved.devices.map(\.displayName) == ["Můj <b>klíč</b>"])
            #expect(saved.devices.map(\.login) == [false])
            #expect(try await fixture.settings(subject) == saved)
        }
    }

    @Test func aStaleVersionIsAbortedAndChangesNothing() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            _ = try await fixture.pairKeys(1, for: subject)
            let firstTab = try await fixture.settings(subject)
            var secondTab = firstTab
            var changed = firstTab
            changed.devices[0].login = false
            try await fixture.save(subject, changed)
            let before = try await fixture.snapshot()
            secondTab.devices[0].bokPad = false
            let error = await rpcError { try await fixture.save(subject, secondTab) }
            #expect(error?.code == .aborted)
            #expect(try await fixture.snapshot() == before)
        }
    }

    @Test func aKeyPairedMeanwhileMakesAnOlderGridStale() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            _ = try await fixture.pairKeys(1, for: subject)
            let grid = try await fixture.settings(subject)
            _ = try await fixture.pairKeys(1, for: subject)
            let error = await rpcError { try await fixture.save(subject, grid) }
            #expect(error?.code == .aborted)
        }
    }

    /// Ways a grid can be wrong; each names its field and leaves every table unchanged.
    enum BadGrid: String, CaseIterable, CustomTestStringConvertible {
        case foreignKey, missingKey, duplicateKey, notAUUID, deviceChannelAsContact, missingSmsRow, twoEmailRows
        case unspecifiedChannel

        var testDescription: String { rawValue }
    }

    @Test(arguments: BadGrid.allCases)
    func invalidGridsAreRejectedNamingTheFieldAndChangeNothing(_ bad: BadGrid) async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            _ = try await fixture.pairKeys(2, for: subject)
            let otherSubject = PreferencesFixture.newSubject()
            let foreign = try await fixture.pairKeys(1, for: otherSubject)[0]
            var grid = try await fixture.settings(subject)
            grid.devices[0].login = false
            let field: String
            switch bad {
            case .foreignKey:
                grid.devices[1].deviceId = foreign
                field = "settings.devices[1].device_id"
            case .missingKey:
                grid.devices.removeLast()
                field = "settings.devices"
            case .duplicateKey:
                grid.devices[1].deviceId = grid.devices[0].deviceId
                field = "settings.devices[1].device_id"
            case .notAUUID:
                grid.devices[0].deviceId = "email"
                field = "settings.devices[0].device_id"
            case .deviceChannelAsContact:
                grid.contacts[1].channel = .device
                field = "settings.contacts[1].channel"
            case .missingSmsRow:
                grid.contacts.removeLast()
                field = "settings.contacts"
            case .twoEmailRows:
                grid.contacts[1].channel = .email
                field = "settings.contacts[1].channel"
            case .unspecifiedChannel:
                grid.contacts[0].channel = .unspecified
                field = "settings.contacts[0].channel"
            }
            let before = try await fixture.snapshot()
            let error = await rpcError { try await fixture.save(subject, grid) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix(field + ":") == true, "\(error?.message ?? "")")
            #expect(try await fixture.snapshot() == before)
        }
    }
}
