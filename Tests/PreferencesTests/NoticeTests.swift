import Foundation
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import Preferences
import Testing

/// Sign-in notices, security notices and BOK receipts.
@Suite("Login and security notices")
struct NoticeTests {
    @Test func aSignInNoticeReachesOnlyKeysWithLoginNoticesOn() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let keys = try await fixture.pairKeys(3, for: subject)
            try await fixture.saveContacts(subject, email: "jana@example.cz", phone: "601123456")
            var grid = try await fixture.settings(subject)
            grid.devices[1].login = false
            try await fixture.save(subject, grid)
            let otherSubject = PreferencesFixture.newSubject()
            let otherKeys = try await fixture.pairKeys(1, for: otherSubject)
            let response = try await fixture.preferences.notifyLogin(
                .init(subject: subject, means: "EOP", atUnixMicros: 1_760_000_000_000_000, origin: "Praha", eventId: "idp-1"),
                options: RPCCallOptions())
            #expect(response.devices == 2)
            for (index, key) in keys.enumerated() {
                let logins = try await fixture.inbox(subject, key).filter { $0.kind == .login }
                #expect(logins.count == (index == 1 ? 0 : 1))
                #expect(logins.first.map { $0.body.contains("elektronický občanský průkaz") } ?? true)
            }
            #expect(try await fixture.inbox(otherSubject, otherKeys[0]).filter { $0.kind == .login }.isEmpty)
            #expect(try await fixture.contactDeliveries(subject).isEmpty)
        }
    }

    /// Prague time across both daylight-saving changes, a year's end and single-digit fields.
    static let signInTimes: [(String, String)] = [
        ("2026-03-05T13:07:00Z", "Dne 5. 3. 2026 v 14:07"),
        ("2026-07-01T10:05:59Z", "Dne 1. 7. 2026 v 12:05"),
        ("2026-03-29T00:59:00Z", "Dne 29. 3. 2026 v 1:59"),
        ("2026-03-29T01:00:00Z", "Dne 29. 3. 2026 v 3:00"),
        ("2026-10-25T00:30:00Z", "Dne 25. 10. 2026 v 2:30"),
        ("2026-10-25T01:30:00Z", "Dne 25. 10. 2026 v 2:30"),
        ("2025-12-31T23:09:00Z", "Dne 1. 1. 2026 v 0:09"),
    ]

    @Test(arguments: signInTimes)
    func aSignInNoticeGivesTheTimeInPrague(_ instant: String, _ expected: String) async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let keys = try await fixture.pairKeys(1, for: subject)
            let at = try #require(ISO8601DateFormatter().date(from: instant))
            _ = try await fixture.preferences.notifyLogin(
                .init(subject: subject, means: "EOP", atUnixMicros: Int64(at.timeIntervalSince1970) * 1_000_000,
                      origin: "Praha"),
                options: RPCCallOptions())
            let body = try #require(try await fixture.inbox(subject, keys[0]).first { $0.kind == .login }?.body)
            #expect(body.hasPrefix(expected + " proběhlo přihlášení"), "\(body)")
        }
    }

    @Test func aRepeatedSignInReportNotifiesOnce() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let keys = try await fixture.pairKeys(2, for: subject)
            let request = Mk_Preferences_V1_NotifyLoginRequest(
                subject: subject, means: "MOBILE_KEY", atUnixMicros: 0, origin: "", eventId: "idp-7", deviceId: keys[0])
            #expect(try await fixture.preferences.notifyLogin(request, options: RPCCallOptions()).devices == 2)
            #expect(try await fixture.preferences.notifyLogin(request, options: RPCCallOptions()).devices == 2)
            #expect(try await fixture.inbox(subject, keys[1]).filter { $0.kind == .login }.count == 1)
        }
    }

    @Test func aSignInReportedByTheHookAndEchoedAsAnEventNotifiesOnce() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let keys = try await fixture.pairKeys(1, for: subject)
            let request = Mk_Preferences_V1_NotifyLoginRequest(
                subject: subject, means: "BANK_IDENTITY", atUnixMicros: 0, origin: "", eventId: "idp-9", deviceId: "")
            #expect(try await fixture.preferences.notifyLogin(request, options: RPCCallOptions()).devices == 1)
            var event = PreferencesFixture.event(.signedIn, subject: subject)
            event.signedIn = Mk_Events_V1_SignedIn(means: "BANK_IDENTITY", deviceId: "", origin: "")
            try await fixture.deliver(event)
            let logins = try await fixture.inbox(subject, keys[0]).filter { $0.kind == .login }
            #expect(logins.count == 1)
            #expect(logins.first?.body.contains("bankovní identita") == true)
        }
    }

    @Test func invalidSignInReportsNameTheField() async throws {
        try await PreferencesFixture.with { fixture in
            let cases: [(String, Mk_Preferences_V1_NotifyLoginRequest)] = [
                ("means", .init(subject: "citizen-1", means: "PASSWORD")),
                ("device_id", .init(subject: "citizen-1", means: "MOBILE_KEY")),
                ("device_id", .init(subject: "citizen-1", means: "EOP", deviceId: PreferencesFixture.newDevice())),
                ("at_unix_micros", .init(subject: "citizen-1", means: "EOP", atUnixMicros: -1)),
                ("event_id", .init(subject: "citizen-1", means: "EOP", eventId: "with space")),
            ]
            let before = try await fixture.snapshot()
            for (field, request) in cases {
                let error = await rpcError { try await fixture.preferences.notifyLogin(request, options: RPCCallOptions()) }
                #expect(error?.code == .invalidArgument)
                #expect(error?.message.hasPrefix(field + ":") == true, "\(error?.message ?? "")")
            }
            #expect(try await fixture.snapshot() == before)
        }
    }

    @Test func securityNoticesReachEveryOtherChannelEvenWithEverySwitchOff() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let keys = try await fixture.pairKeys(2, for: subject)
            try await fixture.saveContacts(subject, email: "jana@example.cz", phone: "601123456")
            var grid = try await fixture.settings(subject)
            grid.contacts[0].informative = false
            grid.contacts[1].informative = false
            for index in grid.devices.indices {
                grid.devices[index].informative = false
                grid.devices[index].login = false
            }
            try await fixture.save(subject, grid)
            let newKey = PreferencesFixture.newDevice()
            try await fixture.deliver(PreferencesFixture.paired(newKey, of: subject, name: "Cizí telefon"))
            for key in keys {
                let security = try await fixture.inbox(subject, key).filter { $0.body.contains("Cizí telefon") }
                #expect(security.count == 1)
                #expect(security.first?.kind == .security)
                #expect(security.first?.concernsDeviceId == newKey)
            }
            #expect(try await fixture.inbox(subject, newKey).isEmpty)
            #expect(try await fixture.contactDeliveries(subject).map(\.channel) == [1, 2])
            fixture.clock.advance(by: 1)
            try await fixture.deliver(PreferencesFixture.unpaired(keys[0], of: subject))
            #expect(try await fixture.inbox(subject, keys[1]).filter { $0.title == "Mobilní klíč odpojen" }.count == 1)
            #expect(try await fixture.contactDeliveries(subject).map(\.channel) == [1, 2, 1, 2])
            let notices = try await fixture.notices(subject)
            #expect(notices.map(\.kind) == [.security, .security, .security, .security])
        }
    }

    @Test func aStartedVerificationPromptsOnlyTheBokPadKeys() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let keys = try await fixture.pairKeys(2, for: subject)
            var grid = try await fixture.settings(subject)
            grid.devices[1].bokPad = false
            try await fixture.save(subject, grid)
            var event = PreferencesFixture.event(.bokOutcome, subject: subject, producer: "bok")
            event.bokOutcome = Mk_Events_V1_BokOutcome(
                requestId: UUID().uuidString.lowercased(), result: .started, officeName: "Magistrát města Brna",
                purpose: "Převzetí cestovního pasu", attemptsLeft: 3, deviceId: "")
            try await fixture.deliver(event)
            let prompted = try await fixture.inbox(subject, keys[0]).filter { $0.kind == .bok }
            #expect(prompted.count == 1)
            #expect(prompted.first?.body.contains("žádá přepážka Magistrát města Brna") == true)
            #expect(prompted.first?.body.contains("Převzetí cestovního pasu") == true)
            #expect(try await fixture.inbox(subject, keys[1]).filter { $0.kind == .bok }.isEmpty)
            #expect(try await fixture.contactDeliveries(subject).isEmpty)
        }
    }

    @Test func aBokOutcomeSendsAReceiptToEveryKey() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let keys = try await fixture.pairKeys(2, for: subject)
            var grid = try await fixture.settings(subject)
            grid.devices[1].bokPad = false
            try await fixture.save(subject, grid)
            var event = PreferencesFixture.event(.bokOutcome, subject: subject, producer: "bok")
            event.bokOutcome = Mk_Events_V1_BokOutcome(
                requestId: UUID().uuidString.lowercased(), result: .wrongBok, officeName: "Magistrát města Brna",
                purpose: "Převzetí cestovního pasu", attemptsLeft: 2, deviceId: keys[0])
            try await fixture.deliver(event)
            for key in keys {
                let receipts = try await fixture.inbox(subject, key).filter { $0.kind == .bok }
                #expect(receipts.count == 1)
                #expect(receipts.first?.body.contains("Zbývající pokusy do zablokování: 2") == true)
            }
        }
    }
}
