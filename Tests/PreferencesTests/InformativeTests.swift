import Foundation
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import Preferences
import Testing

/// Authorities' informative notifications: routing, privacy, idempotency, limits.
@Suite("Informative notifications")
struct InformativeTests {
    /// Every combination of the e-mail, SMS and key switches.
    static let switchCombinations: [(Bool, Bool, Bool)] = [false, true].flatMap { email in
        [false, true].flatMap { sms in [false, true].map { devices in (email, sms, devices) } }
    }

    @Test(arguments: switchCombinations)
    func routesToExactlyTheEnabledChannels(_ email: Bool, _ sms: Bool, _ devices: Bool) async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let keys = try await fixture.pairKeys(2, for: subject)
            try await fixture.saveContacts(subject, email: "jana@example.cz", phone: "601123456")
            try await fixture.setInformative(subject, email: email, sms: sms, devices: devices)
            let response = try await fixture.send(PreferencesFixture.informative(subject))
            var expected: [Mk_Preferences_V1_ChannelKind] = []
            if email { expected.append(.email) }
            if sms { expected.append(.sms) }
            if devices { expected += [.device, .device] }
            #expect(response.channels.map(\.channel) == expected)
            for key in keys {
                let informative = try await fixture.inbox(subject, key).filter { $0.kind == .informative }
                #expect(informative.count == (devices ? 1 : 0))
                #expect(informative.first?.sender == (devices ? "Česká správa sociálního zabezpečení" : nil))
            }
            let contactChannels = try await fixture.contactDeliveries(subject).map(\.channel)
            #expect(contactChannels == expected.filter { $0 != .device }.map(\.rawValue))
        }
    }

    @Test func theAuthoritysAnswerIsTheSameWhetherOrNotTheCitizenHasContacts() async throws {
        try await PreferencesFixture.with { fixture in
            let withContacts = PreferencesFixture.newSubject()
            let without = PreferencesFixture.newSubject()
            try await fixture.saveContacts(withContacts, email: "jana@example.cz", phone: "+420601123456")
            let first = try await fixture.send(PreferencesFixture.informative(withContacts))
            let second = try await fixture.send(PreferencesFixture.informative(without))
            #expect(first.channels == second.channels)
            let worker = fixture.worker(email: RecordingTransport(), sms: RecordingTransport())
            #expect(try await worker.runOnce() == 4)
            let statusA = try await fixture.preferences.getNotificationStatus(
                .init(authorityId: "ossz", notificationId: first.notificationId), options: RPCCallOptions())
            let statusB = try await fixture.preferences.getNotificationStatus(
                .init(authorityId: "ossz", notificationId: second.notificationId), options: RPCCallOptions())
            #expect(statusA.channels == statusB.channels)
            #expect(statusA.channels.allSatisfy { $0.state == .sent })
            // Nothing in the answer's bytes carries the address or the number.
            let bytes = String(decoding: try first.serializedBytes() + (try statusA.serializedBytes()), as: UTF8.self)
            #expect(!bytes.contains("jana") && !bytes.contains("601123456") && !bytes.contains("@"))
        }
    }

    @Test func theSameKeyAndContentAnswerTheSameAndDeliverOnce() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let keys = try await fixture.pairKeys(1, for: subject)
            let request = PreferencesFixture.informative(subject, key: "dopis-2026-001")
            let first = try await fixture.send(request)
            let again = try await fixture.send(request)
            #expect(again == first)
            #expect(try await fixture.inbox(subject, keys[0]).filter { $0.kind == .informative }.count == 1)
            let deliveries = try await fixture.database.query(
                "SELECT count(*) FROM delivery WHERE notification_id = \(UUID(uuidString: first.notificationId)!)"
            ).single(Int64.self)
            #expect(deliveries == 3)
        }
    }

    @Test func theSameKeyWithOtherContentIsAlreadyExistsAndChangesNothing() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            _ = try await fixture.send(PreferencesFixture.informative(subject, key: "k1", body: "První znění."))
            let before = try await fixture.snapshot()
            let error = await rpcError {
                try await fixture.send(PreferencesFixture.informative(subject, key: "k1", body: "Jiné znění."))
            }
            #expect(error?.code == .alreadyExists)
            #expect(try await fixture.snapshot() == before)
        }
    }

    @Test func theAuthorityQuotaIsEnforcedAndRepeatsDoNotCount() async throws {
        try await PreferencesFixture.with(quotaPerHour: 2) { fixture in
            let subject = PreferencesFixture.newSubject()
            let first = PreferencesFixture.informative(subject, key: "a")
            _ = try await fixture.send(first)
            _ = try await fixture.send(first)
            _ = try await fixture.send(PreferencesFixture.informative(subject, key: "b"))
            let before = try await fixture.snapshot()
            let error = await rpcError { try await fixture.send(PreferencesFixture.informative(subject, key: "c")) }
            #expect(error?.code == .resourceExhausted)
            #expect(try await fixture.snapshot() == before)
            // Another authority has its own quota; the next hour starts afresh.
            _ = try await fixture.send(PreferencesFixture.informative(subject, key: "c", authority: "mvcr"))
            fixture.clock.advance(by: 3600)
            _ = try await fixture.send(PreferencesFixture.informative(subject, key: "c"))
        }
    }

    @Test(arguments: [
        ("authority_id", PreferencesFixture.informative("citizen-1", authority: "")),
        ("authority_id", PreferencesFixture.informative("citizen-1", authority: String(repeating: "a", count: 65))),
        ("subject", PreferencesFixture.informative("bad subject")),
        ("title", PreferencesFixture.informative("citizen-1", title: "  ")),
        ("title", PreferencesFixture.informative("citizen-1", title: String(repeating: "č", count: 201))),
        ("title", PreferencesFixture.informative("citizen-1", title: "Řádek\nzalomený")),
        ("body", PreferencesFixture.informative("citizen-1", body: "")),
        ("body", PreferencesFixture.informative("citizen-1", body: String(repeating: "x", count: 4001))),
        ("body", PreferencesFixture.informative("citizen-1", body: "skryté \u{202E}otočení")),
        ("idempotency_key", PreferencesFixture.informative("citizen-1", key: "")),
        ("idempotency_key", PreferencesFixture.informative("citizen-1", key: "mezera v klíči")),
    ])
    func invalidRequestsNameTheFieldAndChangeNothing(_ field: String, _ request: Mk_Preferences_V1_SendInformativeRequest)
        async throws
    {
        try await PreferencesFixture.with { fixture in
            let before = try await fixture.snapshot()
            let error = await rpcError { try await fixture.send(request) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix(field + ":") == true, "\(error?.message ?? "")")
            #expect(try await fixture.snapshot() == before)
        }
    }

    /// Texts as sent, and as stored: trimmed of white space and new lines, in Normalization Form C.
    static let storedTexts: [(sent: String, stored: String)] = [
        ("  Důchod\u{00A0}", "Důchod"),
        ("\tVyřízeno.\n", "Vyřízeno."),
        ("Zme\u{030C}na u\u{0301}daju\u{030A}", "Změna údajů"),
        ("Ω\u{0301} a 漢字", "\u{038F} a 漢字"),
        ("Beze změny", "Beze změny"),
    ]

    @Test(arguments: storedTexts)
    func textsAreStoredTrimmedAndComposed(_ sent: String, _ stored: String) async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let key = try #require(try await fixture.pairKeys(1, for: subject).first)
            try await fixture.setInformative(subject, email: false, sms: false, devices: true)
            _ = try await fixture.send(PreferencesFixture.informative(subject, title: sent, body: sent))
            let message = try #require(try await fixture.inbox(subject, key).first { $0.kind == .informative })
            // Scalar by scalar: String's == would take a decomposed text for its composed form.
            #expect(Array(message.title.unicodeScalars) == Array(stored.unicodeScalars))
            #expect(Array(message.body.unicodeScalars) == Array(stored.unicodeScalars))
        }
    }

    @Test func anotherAuthoritySeesNoStatus() async throws {
        try await PreferencesFixture.with { fixture in
            let sent = try await fixture.send(PreferencesFixture.informative(PreferencesFixture.newSubject()))
            let own = try await fixture.preferences.getNotificationStatus(
                .init(authorityId: "ossz", notificationId: sent.notificationId), options: RPCCallOptions())
            #expect(own.channels.map(\.state) == [.pending, .pending])
            let error = await rpcError {
                try await fixture.preferences.getNotificationStatus(
                    .init(authorityId: "mvcr", notificationId: sent.notificationId), options: RPCCallOptions())
            }
            #expect(error?.code == .notFound)
        }
    }
}
