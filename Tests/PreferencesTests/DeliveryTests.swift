import Foundation
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import Preferences
import Testing

/// The delivery worker against a real SMTP server and a real HTTP SMS endpoint on loopback.
@Suite("Delivery")
struct DeliveryTests {
    static func smtp(port: Int) -> SMTPTransport {
        SMTPTransport(
            configuration: SMTPConfiguration(
                url: "smtp://127.0.0.1:\(port)", requireTLS: false, from: "notifikace@identita.gov.cz",
                timeout: .seconds(10)))
    }

    @Test func anEmailWaitsWhileTheSMTPServerIsDownAndIsSentExactlyOnceWhenItReturns() async throws {
        try await PreferencesFixture.with { fixture in
            let started = Date()
            let directory = PeerProcess.temporaryDirectory()
            let first = try await PeerProcess(script: "smtp_sink.py", directory: directory, arguments: ["0"])
            let port = try #require(first.port)
            await first.stop()
            let subject = PreferencesFixture.newSubject()
            try await fixture.saveContacts(subject, email: "jana@bücher.de")
            var grid = try await fixture.settings(subject)
            grid.contacts[1].informative = false
            try await fixture.save(subject, grid)
            let sent = try await fixture.send(PreferencesFixture.informative(subject, title: "Změna údajů"))
            let worker = fixture.worker(email: Self.smtp(port: port))

            #expect(try await worker.runOnce() == 1)
            let retrying = try await fixture.contactDeliveries(subject)
            #expect(retrying.map(\.state) == ["pending"])
            #expect(retrying.first?.attempts == 1)
            #expect(retrying.first?.error.hasPrefix("SMTP failed") == true)
            // Not due yet: nothing is claimed before the backoff ends.
            #expect(try await worker.runOnce() == 0)

            let second = try await PeerProcess(script: "smtp_sink.py", directory: directory, arguments: ["\(port)"])
            fixture.clock.advance(by: 13)
            #expect(try await worker.runOnce() == 1)
            #expect(try await fixture.contactDeliveries(subject).map(\.state) == ["sent"])
            fixture.clock.advance(by: 3600)
            #expect(try await worker.runOnce() == 0)

            let mails = try second.recorded(suffix: ".eml")
            await second.stop()
            #expect(mails.count == 1)
            let mail = try #require(mails.first)
            #expect(mail.hasPrefix("X-Envelope-To: jana@xn--bcher-kva.de"))
            #expect(mail.contains("Subject: =?UTF-8?B?\(Data("Změna údajů".utf8).base64EncodedString())?="))
            // The Date header (RFC 5322 section 3.3, in UTC) names a moment of this test, its weekday right.
            let line = try #require(mail.split(whereSeparator: \.isNewline).first { $0.hasPrefix("Date: ") })
            let header = #/Date: ([A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} [0-9:]{8}) \+0000/#
            let date = try #require(line.wholeMatch(of: header))
            let format = DateFormatter()
            format.locale = Locale(identifier: "en_US_POSIX")
            format.timeZone = TimeZone(identifier: "UTC")
            format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss"
            let sentAt = try #require(format.date(from: String(date.1)))
            #expect(sentAt >= started.addingTimeInterval(-1) && sentAt <= Date())
            #expect(format.string(from: sentAt) == date.1)
            // The base64 body after the blank line: its lines end in CRLF, none in a bare LF.
            let body = try #require(mail.components(separatedBy: "\r\n\r\n").dropFirst().first)
            let decoded = try #require(Data(base64Encoded: body, options: .ignoreUnknownCharacters))
            let text = String(decoding: decoded, as: UTF8.self)
            #expect(text.contains("\r\n") && !text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
            let status = try await fixture.preferences.getNotificationStatus(
                .init(authorityId: "ossz", notificationId: sent.notificationId), options: RPCCallOptions())
            #expect(status.channels == [.init(channel: .email, state: .sent)])
        }
    }

    @Test func anSMSIsRetriedOn500AndSentOn200() async throws {
        try await PreferencesFixture.with { fixture in
            let directory = PeerProcess.temporaryDirectory()
            let provider = try await PeerProcess(script: "sms_provider.py", directory: directory)
            try "500".write(to: directory.appendingPathComponent("status"), atomically: true, encoding: .utf8)
            let subject = PreferencesFixture.newSubject()
            try await fixture.saveContacts(subject, phone: "601 123 456")
            try await fixture.setInformative(subject, email: false, sms: true, devices: false)
            _ = try await fixture.send(PreferencesFixture.informative(subject))
            let sms = SMSTransport(
                configuration: SMSConfiguration(
                    url: "http://127.0.0.1:\(try #require(provider.port))/v1/messages", token: "test-token",
                    timeout: .seconds(10)))
            let worker = fixture.worker(sms: sms)

            #expect(try await worker.runOnce() == 1)
            let retrying = try await fixture.contactDeliveries(subject)
            #expect(retrying.map(\.state) == ["pending"])
            #expect(retrying.first?.error == "SMS provider answered HTTP 500")

            try "200".write(to: directory.appendingPathComponent("status"), atomically: true, encoding: .utf8)
            fixture.clock.advance(by: 13)
            #expect(try await worker.runOnce() == 1)
            #expect(try await fixture.contactDeliveries(subject).map(\.state) == ["sent"])

            let requests = try provider.recorded(suffix: ".json")
            #expect(requests.count == 2)
            let last = try #require(requests.last?.data(using: .utf8))
            let json = try #require(try JSONSerialization.jsonObject(with: last) as? [String: Any])
            let headers = try #require(json["headers"] as? [String: String])
            #expect(headers["Authorization"] == "Bearer test-token")
            let body = try #require((json["body"] as? String)?.data(using: .utf8))
            let payload = try #require(try JSONSerialization.jsonObject(with: body) as? [String: String])
            #expect(payload["to"] == "+420601123456")
            #expect(payload["text"]?.contains("Důchod") == true)
            #expect(headers["Idempotency-Key"] == payload["reference"])
        }
    }

    @Test func anSMSProviderAnsweringTooLateIsRetriedAndTheSMSSentOnceItAnswers() async throws {
        try await PreferencesFixture.with { fixture in
            let directory = PeerProcess.temporaryDirectory()
            let provider = try await PeerProcess(script: "sms_provider.py", directory: directory)
            // Far beyond the transport's 1 s timeout: the provider takes the request and stays silent.
            try "60".write(to: directory.appendingPathComponent("delay"), atomically: true, encoding: .utf8)
            let subject = PreferencesFixture.newSubject()
            try await fixture.saveContacts(subject, phone: "601123456")
            try await fixture.setInformative(subject, email: false, sms: true, devices: false)
            _ = try await fixture.send(PreferencesFixture.informative(subject))
            let sms = SMSTransport(
                configuration: SMSConfiguration(
                    url: "http://127.0.0.1:\(try #require(provider.port))/v1/messages", token: "test-token",
                    timeout: .seconds(1)))
            let worker = fixture.worker(sms: sms)

            #expect(try await worker.runOnce() == 1)
            let retrying = try await fixture.contactDeliveries(subject)
            #expect(retrying.map(\.state) == ["pending"])
            #expect(retrying.first?.attempts == 1)
            #expect(retrying.first?.error.hasPrefix("SMS provider unreachable: Timeout") == true)

            try "0".write(to: directory.appendingPathComponent("delay"), atomically: true, encoding: .utf8)
            fixture.clock.advance(by: 13)
            #expect(try await worker.runOnce() == 1)
            #expect(try await fixture.contactDeliveries(subject).map(\.state) == ["sent"])
            fixture.clock.advance(by: 3600)
            #expect(try await worker.runOnce() == 0)

            let requests = try provider.recorded(suffix: ".json")
            await provider.stop()
            // The late one and the answered one, with the same key so the provider can drop a repeat.
            #expect(requests.count == 2)
            let keys = try requests.map { text -> String? in
                let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                return (json?["headers"] as? [String: String])?["Idempotency-Key"]
            }
            #expect(Set(keys).count == 1 && keys.first != nil)
        }
    }

    @Test func anSMSRefusedWith400FailsAtOnceWithTheReason() async throws {
        try await PreferencesFixture.with { fixture in
            let directory = PeerProcess.temporaryDirectory()
            let provider = try await PeerProcess(script: "sms_provider.py", directory: directory)
            try "400".write(to: directory.appendingPathComponent("status"), atomically: true, encoding: .utf8)
            try #"{"error": "number +420601123456 is not a mobile number"}"#.write(
                to: directory.appendingPathComponent("answer"), atomically: true, encoding: .utf8)
            let subject = PreferencesFixture.newSubject()
            try await fixture.saveContacts(subject, phone: "601123456")
            try await fixture.setInformative(subject, email: false, sms: true, devices: false)
            let sent = try await fixture.send(PreferencesFixture.informative(subject))
            let sms = SMSTransport(
                configuration: SMSConfiguration(
                    url: "http://127.0.0.1:\(try #require(provider.port))/", token: "t", timeout: .seconds(10)))
            let worker = fixture.worker(sms: sms)
            #expect(try await worker.runOnce() == 1)
            let failed = try await fixture.contactDeliveries(subject)
            #expect(failed.map(\.state) == ["failed"])
            let reason = try #require(failed.first?.error)
            #expect(reason.hasPrefix("SMS provider refused the message: HTTP 400"))
            #expect(reason.contains("is not a mobile number") && !reason.contains("601123456"))
            fixture.clock.advance(by: 3600)
            #expect(try await worker.runOnce() == 0)
            // The citizen sees the failure; the authority only that processing finished.
            #expect(try await fixture.notices(subject).first?.channels == [.init(channel: .sms, state: .failed)])
            let status = try await fixture.preferences.getNotificationStatus(
                .init(authorityId: "ossz", notificationId: sent.notificationId), options: RPCCallOptions())
            #expect(status.channels == [.init(channel: .sms, state: .sent)])
            let audit = try await fixture.database.query(
                "SELECT count(*) FROM audit WHERE subject = \(subject) AND action = 'delivery_failed'").single(Int64.self)
            #expect(audit == 1)
        }
    }

    @Test func retriesBackOffExponentiallyAndStopAfterTheLastAttempt() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            try await fixture.saveContacts(subject, email: "jana@example.cz")
            try await fixture.setInformative(subject, email: true, sms: false, devices: false)
            _ = try await fixture.send(PreferencesFixture.informative(subject))
            let transport = RecordingTransport(Array(repeating: .retry(reason: "421 try later"), count: 10))
            let worker = fixture.worker(email: transport, maximumAttempts: 3)
            #expect(try await worker.runOnce() == 1)
            // After 1 failure the wait is 10–12 s, after 2 it is 20–24 s.
            fixture.clock.advance(by: 9)
            #expect(try await worker.runOnce() == 0)
            fixture.clock.advance(by: 4)
            #expect(try await worker.runOnce() == 1)
            fixture.clock.advance(by: 19)
            #expect(try await worker.runOnce() == 0)
            fixture.clock.advance(by: 6)
            #expect(try await worker.runOnce() == 1)
            let deliveries = try await fixture.contactDeliveries(subject)
            #expect(deliveries.map(\.state) == ["failed"])
            #expect(deliveries.first?.attempts == 3)
            #expect(deliveries.first?.error == "421 try later")
            #expect(transport.messages.count == 3)
        }
    }

    @Test func emailsAndSMSCarryCzechTextsAndNeverTheNumber() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            _ = try await fixture.pairKeys(1, for: subject)
            try await fixture.saveContacts(subject, email: "jana@example.cz", phone: "601123456")
            try await fixture.deliver(PreferencesFixture.paired(PreferencesFixture.newDevice(), of: subject))
            let email = RecordingTransport()
            let sms = RecordingTransport()
            #expect(try await fixture.worker(email: email, sms: sms).runOnce() == 2)
            let mail = try #require(email.messages.first)
            #expect(mail.recipient == "jana@example.cz")
            #expect(mail.title == "Připojen nový Mobilní klíč")
            #expect(mail.body.contains("Nebyl jsem to já"))
            let text = try #require(sms.messages.first)
            #expect(text.recipient == "+420601123456")
            #expect(text.smsText.count <= 134)
            for message in email.messages + sms.messages {
                #expect(!(message.body + message.smsText + message.title).contains("601123456"))
            }
        }
    }
}
