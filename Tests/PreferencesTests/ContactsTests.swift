import Foundation
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import Preferences
import Testing

/// "Vaše údaje": e-mail validation and phone normalisation.
@Suite("Contacts")
struct ContactsTests {
    @Test(arguments: [
        ("601 123 456", "+420601123456"),
        ("+420 601-123-456", "+420601123456"),
        ("00420 777 123 456", "+420777123456"),
        ("(+420) 731.123.456", "+420731123456"),
        ("+44 7911 123456", "+447911123456"),
    ])
    func phoneNumbersAreNormalisedToE164(_ input: String, _ expected: String) async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let saved = try await fixture.saveContacts(subject, phone: input)
            #expect(saved.phone == expected)
            let read = try await fixture.preferences.getContacts(.init(subject: subject), options: RPCCallOptions())
            #expect(read.contacts?.phone == expected)
        }
    }

    @Test(arguments: [
        ("jana.novakova@example.cz", "jana.novakova@example.cz"),
        ("Jana@Příklad.CZ", "Jana@příklad.cz"),
        ("x+tag@bücher.de", "x+tag@bücher.de"),
    ])
    func validEmailAddressesAreKeptWithTheDomainLowerCased(_ input: String, _ expected: String) async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            #expect(try await fixture.saveContacts(subject, email: input).email == expected)
            let grid = try await fixture.settings(subject)
            #expect(grid.contacts[0].present && grid.contacts[0].address == expected)
            #expect(!grid.contacts[1].present)
        }
    }

    @Test(arguments: [
        ("contacts.email", "no-at-sign.cz", ""),
        ("contacts.email", "two..dots@example.cz", ""),
        ("contacts.email", "jana@localhost", ""),
        ("contacts.email", "jana@exa mple.cz", ""),
        ("contacts.email", "jana@-example.cz", ""),
        ("contacts.email", "jana@example.123", ""),
        ("contacts.email", String(repeating: "a", count: 65) + "@example.cz", ""),
        ("contacts.email", "a@" + String(repeating: "b", count: 250) + ".cz", ""),
        ("contacts.email", "jána@example.cz", ""),
        ("contacts.phone", "", "12345"),
        ("contacts.phone", "", "+420 201 123 456"),
        ("contacts.phone", "", "601 123 45"),
        ("contacts.phone", "", "+1234567890123456"),
        ("contacts.phone", "", "call me"),
    ])
    func invalidContactsAreRejectedNamingTheFieldAndChangeNothing(_ field: String, _ email: String, _ phone: String)
        async throws
    {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            try await fixture.saveContacts(subject, email: "stara@example.cz", phone: "601123456")
            let before = try await fixture.snapshot()
            let error = await rpcError { try await fixture.saveContacts(subject, email: email, phone: phone) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix(field + ":") == true, "\(error?.message ?? "")")
            #expect(try await fixture.snapshot() == before)
        }
    }

    @Test func emptyValuesRemoveContactsAndTheChangeIsAuditedWithoutTheValues() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            try await fixture.saveContacts(subject, email: "jana@example.cz", phone: "601123456")
            let removed = try await fixture.saveContacts(subject)
            #expect(removed.email.isEmpty && removed.phone.isEmpty)
            let details = try await fixture.database.query(
                "SELECT detail FROM audit WHERE subject = \(subject) AND action = 'contacts_saved' ORDER BY id"
            ).decode(String.self)
            #expect(details == ["email: set, phone: set", "email: removed, phone: removed"])
        }
    }
}
