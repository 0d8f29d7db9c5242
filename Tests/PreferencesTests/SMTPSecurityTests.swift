import Foundation
import MKPostgres
import MKTestSupport
import Preferences
import Testing

/// E-mail through a real aiosmtpd on loopback that requires STARTTLS and a login (only over TLS).
@Suite("SMTP with STARTTLS and a login")
struct SMTPSecurityTests {
    static let user = "notifikace"
    static let password = "Heslo-SMTP-9f2b"

    /// Starts the SMTP server with STARTTLS required, the login ``user``/``password`` and only
    /// `mechanism` offered (both when `nil`); `tls: false` offers no STARTTLS at all.
    static func server(_ certificates: TestCertificates, mechanism: String? = nil, tls: Bool = true) async throws
        -> PeerProcess
    {
        var arguments = ["0"]
        if tls { arguments += ["--tls", certificates.certificate.path, certificates.key.path] }
        arguments += ["--auth", user, password]
        if let mechanism { arguments += ["--mechanism", mechanism] }
        return try await PeerProcess(
            script: "smtp_sink.py", directory: PeerProcess.temporaryDirectory(), arguments: arguments)
    }

    static func transport(port: Int, password: String, certificates: TestCertificates) -> SMTPTransport {
        SMTPTransport(
            configuration: SMTPConfiguration(
                url: "smtp://127.0.0.1:\(port)", requireTLS: true, username: user, password: password,
                from: "notifikace@identita.gov.cz", timeout: .seconds(10), caFile: certificates.ca.path))
    }

    /// A citizen with an e-mail address and only the e-mail switch on, sent one notification.
    static func citizenWithMail(_ fixture: PreferencesFixture) async throws -> String {
        let subject = PreferencesFixture.newSubject()
        try await fixture.saveContacts(subject, email: "jana@example.cz")
        try await fixture.setInformative(subject, email: true, sms: false, devices: false)
        _ = try await fixture.send(PreferencesFixture.informative(subject, title: "Změna údajů"))
        return subject
    }

    @Test(arguments: ["LOGIN", "PLAIN"])
    func anEmailIsSentOverSTARTTLSWithTheRightLogin(mechanism: String) async throws {
        try await PreferencesFixture.with { fixture in
            let certificates = try await TestCertificates.make()
            let server = try await Self.server(certificates, mechanism: mechanism)
            let subject = try await Self.citizenWithMail(fixture)
            let worker = fixture.worker(
                email: Self.transport(
                    port: try #require(server.port), password: Self.password, certificates: certificates))
            #expect(try await worker.runOnce() == 1)
            #expect(try await fixture.contactDeliveries(subject).map(\.state) == ["sent"])
            let mails = try server.recorded(suffix: ".eml")
            let logins = try server.recorded(suffix: ".auth")
            await server.stop()
            #expect(mails.count == 1)
            #expect(mails.first?.contains("X-Session-TLS: yes") == true)
            #expect(mails.first?.contains("X-Envelope-To: jana@example.cz") == true)
            #expect(logins == ["\(mechanism) \(Self.user) ok"])
        }
    }

    @Test func aWrongPasswordIsRetriedThenFailsWithTheReasonAndThePasswordIsNeverRecorded() async throws {
        try await PreferencesFixture.with { fixture in
            let certificates = try await TestCertificates.make()
            let server = try await Self.server(certificates)
            let subject = try await Self.citizenWithMail(fixture)
            let wrong = "Spatne-Heslo-77xq"
            let logs = LogRecording()
            let worker = DeliveryWorker(
                client: fixture.database,
                email: Self.transport(port: try #require(server.port), password: wrong, certificates: certificates),
                sms: nil,
                configuration: DeliveryWorkerConfiguration(
                    batchSize: 10, maximumAttempts: 2, initialBackoff: .seconds(10), maximumBackoff: .seconds(60)),
                clock: fixture.clock, logger: logs.logger)

            #expect(try await worker.runOnce() == 1)
            let retrying = try await fixture.contactDeliveries(subject)
            #expect(retrying.map(\.state) == ["pending"])
            #expect(retrying.first?.error == "the SMTP server refused the login (reply 535)")
            fixture.clock.advance(by: 13)
            #expect(try await worker.runOnce() == 1)
            let failed = try await fixture.contactDeliveries(subject)
            #expect(failed.map(\.state) == ["failed"])
            #expect(failed.first?.error == "the SMTP server refused the login (reply 535)")

            let mails = try server.recorded(suffix: ".eml")
            let logins = try server.recorded(suffix: ".auth")
            await server.stop()
            #expect(mails.isEmpty)
            #expect(logins.count == 2 && logins.allSatisfy { $0.hasSuffix("\(Self.user) refused") })
            let stored = try await fixture.snapshot().values.joined().joined(separator: "\n")
            #expect(stored.contains("refused the login"))
            #expect(!stored.contains(wrong))
            #expect(!logs.recorded.isEmpty)
            #expect(!logs.recorded.joined(separator: "\n").contains(wrong))
        }
    }

    @Test func aServerWithoutSTARTTLSGetsNoMessageAndNoLogin() async throws {
        try await PreferencesFixture.with { fixture in
            let certificates = try await TestCertificates.make()
            let server = try await Self.server(certificates, tls: false)
            let subject = try await Self.citizenWithMail(fixture)
            let worker = fixture.worker(
                email: Self.transport(
                    port: try #require(server.port), password: Self.password, certificates: certificates))
            #expect(try await worker.runOnce() == 1)
            let retrying = try await fixture.contactDeliveries(subject)
            #expect(retrying.map(\.state) == ["pending"])
            #expect(retrying.first?.error.hasPrefix("SMTP failed") == true)
            let mails = try server.recorded(suffix: ".eml")
            let logins = try server.recorded(suffix: ".auth")
            await server.stop()
            #expect(mails.isEmpty && logins.isEmpty)
        }
    }
}
