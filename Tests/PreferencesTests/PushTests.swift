import Foundation
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import NIOSSL
import Preferences
import Synchronization
import Testing

/// Push wake-ups against a real HTTP/2 server over TLS on loopback (``PushProviderServer``).
@Suite("Push wake-ups")
struct PushTests {
    static let token = "fcm-Token_1:APA91b~x.y-z"
    /// Where the tests' FCM sends.
    static let fcmPath = "/v1/projects/mobilni-klic/messages:send"

    /// A provider, its server with `answers`, and a provider client trusting the server's CA; the
    /// client and server are shut down after `body`, whatever it does.
    static func withProvider(
        answers: [PushProviderServer.Answer] = [], timeout: Duration = .seconds(10),
        _ body: (PushProviderServer, HTTP2PushProvider) async throws -> Void
    ) async throws {
        try await withProvider(answers: answers, timeout: timeout) { server, provider, _ in
            try await body(server, provider)
        }
    }

    /// ``withProvider(answers:timeout:_:)`` that also hands `body` the client's configuration; with
    /// `fcm`, Android keys go to ``fcmPath`` on the same server.
    static func withProvider(
        answers: [PushProviderServer.Answer] = [], timeout: Duration = .seconds(10), fcm: Bool = false,
        _ body: (PushProviderServer, HTTP2PushProvider, PushConfiguration) async throws -> Void
    ) async throws {
        let certificates = try await TestCertificates.make()
        let server = try await PushProviderServer.start(
            certificate: certificates.certificate, key: certificates.key, answers: answers)
        let configuration = PushConfiguration(
            url: "https://127.0.0.1:\(server.port)/3/device/",
            credential: PushCredential(fixed: "provider-credential-secret"), topic: "cz.gov.mobilniklic",
            timeout: timeout,
            trustRoots: try NIOSSLCertificate.fromPEMFile(certificates.ca.path),
            fcm: fcm
                ? PushConfiguration.FCM(
                    url: "https://127.0.0.1:\(server.port)\(fcmPath)", credential: PushCredential(fixed: "fcm-access-token"))
                : nil)
        let provider = HTTP2PushProvider(configuration: configuration)
        do {
            try await body(server, provider, configuration)
        } catch {
            try? await provider.shutdown()
            await server.stop()
            throw error
        }
        try await provider.shutdown()
        await server.stop()
    }

    /// A citizen with one key (of `platform`) that registered ``token``.
    static func keyWithToken(
        _ fixture: PreferencesFixture, token: String = token, platform: String = "ANDROID"
    ) async throws -> (String, String) {
        let subject = PreferencesFixture.newSubject()
        let key = try #require(try await fixture.pairKeys(1, for: subject, platform: platform).first)
        try await fixture.registerPushToken(subject, key, token)
        return (subject, key)
    }

    @Test func aNewInboxMessageWakesTheKeyOverHTTP2WithNothingButAnOpaqueSignal() async throws {
        try await PreferencesFixture.with(pushEnabled: true) { fixture in
            try await Self.withProvider { server, provider in
                let (subject, key) = try await Self.keyWithToken(fixture)
                try await fixture.saveContacts(subject, email: "jana@example.cz", phone: "601123456")
                _ = try await fixture.send(
                    PreferencesFixture.informative(subject, title: "Důchod 2026", body: "Kód 123456 pro Janu."))
                let worker = fixture.pushWorker(provider)
                #expect(try await worker.runOnce() == 1)

                let request = try #require(server.requests.first)
                #expect(server.requests.count == 1)
                #expect(request.version == "HTTP/2.0")
                #expect(request.method == "POST")
                #expect(request.path == "/3/device/\(Self.token)")
                #expect(request.header("authorization") == "bearer provider-credential-secret")
                #expect(request.header("apns-push-type") == "background")
                #expect(request.header("apns-priority") == "5")
                #expect(request.header("apns-topic") == "cz.gov.mobilniklic")
                #expect(request.body == #"{"aps":{"content-available":1}}"#)
                let wakeups = try await fixture.wakeups(key)
                #expect(wakeups.map(\.state) == ["sent"])
                #expect(request.header("apns-id") == wakeups.first?.id)
                // Nothing about the message, the citizen, the key or the contacts travels.
                let everything = ([request.path, request.body] + request.headers.map { "\($0.name): \($0.value)" })
                    .joined(separator: "\n")
                for secret in ["Důchod", "123456", "601123456", "jana", subject, key, "ossz"] {
                    #expect(!everything.contains(secret), "\(secret) went to the push provider")
                }
                // Sent once: never claimed again.
                fixture.clock.advance(by: 3600)
                #expect(try await worker.runOnce() == 0)
                #expect(server.requests.count == 1)
            }
        }
    }

    @Test func withFCMAnAndroidKeyIsWokenInFCMsFormatAndTheOthersAPNsStyle() async throws {
        try await PreferencesFixture.with(pushEnabled: true) { fixture in
            try await Self.withProvider(fcm: true) { server, provider, _ in
                let (android, androidKey) = try await Self.keyWithToken(fixture, token: "android-token", platform: "ANDROID")
                let (iphone, iphoneKey) = try await Self.keyWithToken(fixture, token: "ios-token", platform: "IOS")
                // A platform the service does not know is routed like a key paired before platforms were kept.
                let (other, otherKey) = try await Self.keyWithToken(fixture, token: "other-token", platform: "HARMONYOS")
                for subject in [android, iphone, other] {
                    _ = try await fixture.send(PreferencesFixture.informative(subject, title: "Důchod 2026"))
                }
                #expect(try await fixture.pushWorker(provider).runOnce() == 3)

                let toFCM = server.requests.filter { $0.path == Self.fcmPath }
                let request = try #require(toFCM.first)
                #expect(toFCM.count == 1)
                #expect(request.version == "HTTP/2.0")
                #expect(request.method == "POST")
                #expect(request.header("authorization") == "Bearer fcm-access-token")
                #expect(request.header("apns-push-type") == nil && request.header("apns-topic") == nil)
                let wakeup = try #require(try await fixture.wakeups(androidKey).first)
                #expect(wakeup.state == "sent")
                #expect(
                    request.body == #"{"message":{"android":{"priority":"NORMAL"},"data":{"wakeup_id":""#
                        + wakeup.id + #""},"token":"android-token"}}"#)
                #expect(!request.body.contains("Důchod") && !request.body.contains(android))

                let apnsPaths = Set(server.requests.filter { $0.path != Self.fcmPath }.map(\.path))
                #expect(apnsPaths == ["/3/device/ios-token", "/3/device/other-token"])
                #expect(server.requests.filter { $0.path != Self.fcmPath }.allSatisfy {
                    $0.header("authorization") == "bearer provider-credential-secret"
                        && $0.header("apns-push-type") == "background"
                })
                #expect(try await fixture.wakeups(iphoneKey).map(\.state) == ["sent"])
                #expect(try await fixture.wakeups(otherKey).map(\.state) == ["sent"])
            }
        }
    }

    @Test func wakeUpsAPassDidNotGetToWithinHalfItsLeaseAreGivenBackForTheNext() async throws {
        try await PreferencesFixture.with(pushEnabled: true) { fixture in
            var keys: [String] = []
            for _ in 0..<3 {
                let (subject, key) = try await Self.keyWithToken(fixture)
                _ = try await fixture.send(PreferencesFixture.informative(subject))
                keys.append(key)
            }
            // Each wake-up takes 61 s of the 120 s lease: after the first, the pass stops.
            let slow = SlowPushProvider(clock: fixture.clock, takes: 61)
            let worker = fixture.pushWorker(slow)
            #expect(try await worker.runOnce() == 3)
            #expect(slow.woken.count == 1)
            var states: [String: Int] = [:]
            for key in keys {
                for wakeup in try await fixture.wakeups(key) {
                    states[wakeup.state, default: 0] += 1
                    // Given back untried: the attempt the claim counted is undone.
                    if wakeup.state == "pending" { #expect(wakeup.attempts == 0) }
                }
            }
            #expect(states == ["sent": 1, "pending": 2])
            // Due at once: the next pass takes them.
            #expect(try await worker.runOnce() == 2)
            #expect(slow.woken.count == 2)
        }
    }

    @Test func anFCMTokenReportedUnregisteredIsForgotten() async throws {
        let answer = #"{"error":{"code":404,"message":"Requested entity was not found.","status":"UNREGISTERED"}}"#
        try await PreferencesFixture.with(pushEnabled: true) { fixture in
            try await Self.withProvider(answers: [.status(404, body: answer)], fcm: true) { server, provider, _ in
                let (subject, key) = try await Self.keyWithToken(fixture)
                _ = try await fixture.send(PreferencesFixture.informative(subject))
                #expect(try await fixture.pushWorker(provider).runOnce() == 1)
                #expect(server.requests.map(\.path) == [Self.fcmPath])
                let failed = try await fixture.wakeups(key)
                #expect(failed.map(\.state) == ["failed"])
                #expect(failed.first?.error == "push provider answered HTTP 404: the token is invalid (UNREGISTERED)")
                #expect(try await fixture.pushToken(key) == "")
            }
        }
    }

    @Test func aWakeUpAnswered500IsRetriedAndSentExactlyOnceOn200() async throws {
        try await PreferencesFixture.with(pushEnabled: true) { fixture in
            try await Self.withProvider(answers: [.status(500, body: #"{"reason":"InternalServerError"}"#)]) {
                server, provider in
                let (subject, key) = try await Self.keyWithToken(fixture)
                _ = try await fixture.send(PreferencesFixture.informative(subject))
                let worker = fixture.pushWorker(provider)
                #expect(try await worker.runOnce() == 1)
                let retrying = try await fixture.wakeups(key)
                #expect(retrying.map(\.state) == ["pending"])
                #expect(retrying.first?.attempts == 1)
                #expect(retrying.first?.error == "push provider answered HTTP 500 (InternalServerError)")
                // Not due before the backoff ends.
                #expect(try await worker.runOnce() == 0)
                fixture.clock.advance(by: 13)
                #expect(try await worker.runOnce() == 1)
                #expect(try await fixture.wakeups(key).map(\.state) == ["sent"])
                fixture.clock.advance(by: 3600)
                #expect(try await worker.runOnce() == 0)
                #expect(server.requests.count == 2)
                #expect(Set(server.requests.compactMap { $0.header("apns-id") }).count == 1)
            }
        }
    }

    @Test func aWakeUpTheProviderNeverAnswersIsRetriedAfterTheTimeout() async throws {
        try await PreferencesFixture.with(pushEnabled: true) { fixture in
            try await Self.withProvider(answers: [.silence], timeout: .seconds(1)) { server, impatient, configuration in
                let (subject, key) = try await Self.keyWithToken(fixture)
                _ = try await fixture.send(PreferencesFixture.informative(subject))
                #expect(try await fixture.pushWorker(impatient).runOnce() == 1)
                let retrying = try await fixture.wakeups(key)
                #expect(retrying.map(\.state) == ["pending"])
                #expect(retrying.first?.error == "push provider unreachable: timeout")
                // The retry goes through a client with a long timeout, so how fast a loaded machine
                // answers cannot decide the outcome.
                var patientConfiguration = configuration
                patientConfiguration.timeout = .seconds(30)
                let patient = HTTP2PushProvider(configuration: patientConfiguration)
                fixture.clock.advance(by: 13)
                let claimed: Int
                do {
                    claimed = try await fixture.pushWorker(patient).runOnce()
                } catch {
                    try? await patient.shutdown()
                    throw error
                }
                try await patient.shutdown()
                #expect(claimed == 1)
                #expect(try await fixture.wakeups(key).map(\.state) == ["sent"])
                #expect(server.requests.count == 2)
            }
        }
    }

    @Test func aWakeUpWhoseAnswerNeverFinishesIsRetriedAfterTheTimeout() async throws {
        try await PreferencesFixture.with(pushEnabled: true) { fixture in
            try await Self.withProvider(answers: [.headOnly], timeout: .seconds(1)) { server, provider, _ in
                let (subject, key) = try await Self.keyWithToken(fixture)
                _ = try await fixture.send(PreferencesFixture.informative(subject))
                // The head arrives and the body never does: the timeout still ends the wake-up.
                #expect(try await fixture.pushWorker(provider).runOnce() == 1)
                let retrying = try await fixture.wakeups(key)
                #expect(retrying.map(\.state) == ["pending"])
                #expect(retrying.first?.error == "push provider unreachable: timeout")
                #expect(server.requests.count == 1)
            }
        }
    }

    @Test(arguments: [
        (410, #"{"reason":"Unregistered","timestamp":1760000000000}"#, "HTTP 410: the token is no longer registered (Unregistered)"),
        (400, #"{"reason":"BadDeviceToken"}"#, "HTTP 400: the token is invalid (BadDeviceToken)"),
        (404, #"{"error":{"code":404,"status":"UNREGISTERED","message":"fcm-Token_1 is gone"}}"#, "HTTP 404: the token is invalid (UNREGISTERED)"),
    ])
    func aDeadTokenFailsTheWakeUpWithTheReasonAndIsNeverPushedAgain(status: Int, answer: String, reason: String)
        async throws
    {
        try await PreferencesFixture.with(pushEnabled: true) { fixture in
            try await Self.withProvider(answers: [.status(status, body: answer)]) { server, provider in
                let (subject, key) = try await Self.keyWithToken(fixture)
                _ = try await fixture.send(PreferencesFixture.informative(subject))
                let worker = fixture.pushWorker(provider)
                #expect(try await worker.runOnce() == 1)
                let failed = try await fixture.wakeups(key)
                #expect(failed.map(\.state) == ["failed"])
                #expect(failed.first?.error == "push provider answered \(reason)")
                #expect(try await fixture.pushToken(key) == "")
                let audit = try await fixture.database.query(
                    "SELECT detail FROM audit WHERE subject = \(subject) AND action = 'push_failed'"
                ).decode(String.self)
                #expect(audit.count == 1)
                #expect(audit.first?.hasSuffix("push token forgotten") == true)
                #expect(!audit.joined().contains("fcm-Token"))
                // Further messages wake nothing: the token is forgotten.
                _ = try await fixture.send(PreferencesFixture.informative(subject))
                fixture.clock.advance(by: 3600)
                #expect(try await worker.runOnce() == 0)
                #expect(server.requests.count == 1)
                // Until the app registers a new token.
                try await fixture.registerPushToken(subject, key, "new-token")
                _ = try await fixture.send(PreferencesFixture.informative(subject))
                #expect(try await worker.runOnce() == 1)
                #expect(server.requests.last?.path == "/3/device/new-token")
                #expect(try await fixture.wakeups(key).map(\.state) == ["sent"])
            }
        }
    }

    @Test func aRefusedCredentialFailsTheWakeUpButKeepsTheToken() async throws {
        try await PreferencesFixture.with(pushEnabled: true) { fixture in
            try await Self.withProvider(answers: [.status(403, body: #"{"reason":"InvalidProviderToken"}"#)]) {
                _, provider in
                let (subject, key) = try await Self.keyWithToken(fixture)
                _ = try await fixture.send(PreferencesFixture.informative(subject))
                #expect(try await fixture.pushWorker(provider).runOnce() == 1)
                let failed = try await fixture.wakeups(key)
                #expect(failed.map(\.state) == ["failed"])
                #expect(failed.first?.error == "push provider refused the wake-up: HTTP 403 (InvalidProviderToken)")
                #expect(try await fixture.pushToken(key) == Self.token)
            }
        }
    }

    @Test func messagesWaitingForOneWakeUpAreCoveredByIt() async throws {
        try await PreferencesFixture.with(pushEnabled: true) { fixture in
            try await Self.withProvider { server, provider in
                let (subject, key) = try await Self.keyWithToken(fixture)
                _ = try await fixture.send(PreferencesFixture.informative(subject))
                _ = try await fixture.preferences.notifyLogin(
                    .init(subject: subject, means: "EOP", atUnixMicros: 1_760_000_000_000_000),
                    options: RPCCallOptions())
                let worker = fixture.pushWorker(provider)
                #expect(try await worker.runOnce() == 1)
                #expect(server.requests.count == 1)
                // A message after the wake-up was sent wakes the key again, with a new id.
                _ = try await fixture.send(PreferencesFixture.informative(subject))
                #expect(try await worker.runOnce() == 1)
                #expect(server.requests.count == 2)
                #expect(Set(server.requests.compactMap { $0.header("apns-id") }).count == 2)
                #expect(try await fixture.wakeups(key).map(\.state) == ["sent"])
            }
        }
    }

    @Test func withPushOffNothingIsQueuedOrSent() async throws {
        try await PreferencesFixture.with { fixture in
            try await Self.withProvider { server, provider in
                let (subject, key) = try await Self.keyWithToken(fixture)
                _ = try await fixture.send(PreferencesFixture.informative(subject))
                #expect(try await fixture.inbox(subject, key).contains { $0.kind == .informative })
                #expect(try await fixture.wakeups(key).isEmpty)
                #expect(try await fixture.pushWorker(provider).runOnce() == 0)
                #expect(server.requests.isEmpty)
            }
        }
    }

    @Test func unpairingAKeyDropsItsTokenAndWakeUp() async throws {
        try await PreferencesFixture.with(pushEnabled: true) { fixture in
            let subject = PreferencesFixture.newSubject()
            let keys = try await fixture.pairKeys(2, for: subject)
            try await fixture.registerPushToken(subject, keys[0], Self.token)
            _ = try await fixture.send(PreferencesFixture.informative(subject))
            #expect(try await fixture.wakeups(keys[0]).map(\.state) == ["pending"])
            try await fixture.deliver(PreferencesFixture.unpaired(keys[0], of: subject))
            #expect(try await fixture.wakeups(keys[0]).isEmpty)
            let remaining = try await fixture.database.query(
                "SELECT count(*) FROM device_setting WHERE push_token <> '' AND subject = \(subject)"
            ).single(Int64.self)
            #expect(remaining == 0)
        }
    }

    @Test func registeringAPushTokenIsValidatedAndChangesNothingWhenRefused() async throws {
        try await PreferencesFixture.with(pushEnabled: true) { fixture in
            let subject = PreferencesFixture.newSubject()
            let key = try #require(try await fixture.pairKeys(1, for: subject).first)
            let before = try await fixture.snapshot()
            let cases: [(String, String, String, RPCStatusCode)] = [
                (subject, key, "a/b", .invalidArgument),
                (subject, key, "token with space", .invalidArgument),
                (subject, key, String(repeating: "a", count: 4097), .invalidArgument),
                (subject, "not-a-uuid", "token", .invalidArgument),
                (PreferencesFixture.newSubject(), key, "token", .notFound),
                (subject, UUID().uuidString, "token", .notFound),
            ]
            for (owner, device, token, code) in cases {
                let error = await rpcError { try await fixture.registerPushToken(owner, device, token) }
                #expect(error?.code == code)
                if code == .invalidArgument {
                    #expect(error?.message.hasPrefix(device == key ? "push_token:" : "device_id:") == true)
                }
            }
            #expect(try await fixture.snapshot() == before)
            try await fixture.registerPushToken(subject, key, Self.token)
            #expect(try await fixture.pushToken(key) == Self.token)
            try await fixture.registerPushToken(subject, key, "")
            #expect(try await fixture.pushToken(key) == "")
        }
    }
}

/// A push provider that takes `takes` seconds of the fixture's clock per wake-up and always
/// succeeds: for what the worker does when sending outlasts its lease.
final class SlowPushProvider: PushProvider {
    private let clock: ManualClock
    private let seconds: TimeInterval
    private let tokens = Mutex<[String]>([])

    init(clock: ManualClock, takes seconds: TimeInterval) {
        self.clock = clock
        self.seconds = seconds
    }

    /// The tokens woken so far.
    var woken: [String] { tokens.withLock { $0 } }

    func wake(pushToken: String, platform: PushPlatform, wakeupID: UUID) async -> PushOutcome {
        tokens.withLock { $0.append(pushToken) }
        clock.advance(by: seconds)
        return .sent
    }
}
