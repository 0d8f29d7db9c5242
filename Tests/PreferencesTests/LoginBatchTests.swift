import Foundation
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import Testing

/// Concurrent `NotifyLogin` calls are notified together, each answered as if it ran alone. Each
/// test holds a citizen's row lock while a sign-in of theirs occupies the batch lane, so the
/// sign-ins started meanwhile queue and go together once the lock is released.
@Suite("Sign-in notices in batches")
struct LoginBatchTests {
    @Test func concurrentSignInsShareTransactionsAndEachIsAnsweredAsAlone() async throws {
        try await PreferencesFixture.with(pushEnabled: true) { fixture in
            let subjects = (0..<15).map { _ in PreferencesFixture.newSubject() }
            var keys: [[String]] = []
            for subject in subjects { keys.append(try await fixture.pairKeys(2, for: subject)) }
            try await fixture.registerPushToken(subjects[0], keys[0][1], "token-b")
            // Per citizen: one sign-in sent twice, one other sign-in.
            let requests = subjects.enumerated().flatMap { index, subject in
                [
                    Self.login(subject, eventID: "repeated-\(index)"),
                    Self.login(subject, eventID: "repeated-\(index)"),
                    Self.login(subject, eventID: "single-\(index)"),
                ]
            }
            let answers = try await Self.whileLanesAreBusy(fixture) {
                requests.map { request in
                    Task { try await fixture.preferences.notifyLogin(request, options: RPCCallOptions()).devices }
                }
            }
            // Every call, the repeats too, answers the citizen's two keys.
            for answer in answers { #expect(try await answer.value == 2) }
            let notices = try await fixture.database.query(
                """
                SELECT count(*), count(DISTINCT xmin::text) FROM notification
                WHERE subject = ANY(\(subjects)) AND kind = \(Mk_Preferences_V1_InboxKind.login.rawValue)
                """
            ).single((Int64, Int64).self)
            #expect(notices.0 == 30)
            // Fewer transactions than notices: they were written together.
            #expect(notices.1 < 30)
            // Each key has both notices in its inbox.
            let inboxes = try await fixture.database.query(
                """
                SELECT delivery.device_id::text, count(*) FROM delivery
                JOIN notification ON notification.id = delivery.notification_id
                WHERE notification.subject = ANY(\(subjects))
                  AND notification.kind = \(Mk_Preferences_V1_InboxKind.login.rawValue)
                  AND delivery.state = 'sent'
                GROUP BY delivery.device_id
                """
            ).decode((String, Int64).self)
            #expect(Set(inboxes.map(\.0)) == Set(keys.joined()))
            #expect(inboxes.allSatisfy { $0.1 == 2 })
            let audited = try await fixture.database.query(
                "SELECT count(*) FROM audit WHERE subject = ANY(\(subjects)) AND action = 'login_notice'"
            ).single(Int64.self)
            #expect(audited == 30)
            #expect(try await fixture.wakeups(keys[0][1]).map(\.state) == ["pending"])
            #expect(try await fixture.wakeups(keys[0][0]).isEmpty)
        }
    }

    @Test func aBatchWritesTheRowsACallAloneWrites() async throws {
        try await PreferencesFixture.with { fixture in
            let alone = PreferencesFixture.newSubject()
            let batched = (0..<5).map { _ in PreferencesFixture.newSubject() }
            for subject in [alone] + batched { _ = try await fixture.pairKeys(2, for: subject) }
            _ = try await fixture.preferences.notifyLogin(
                Self.login(alone, eventID: "alone"), options: RPCCallOptions())
            let answers = try await Self.whileLanesAreBusy(fixture) {
                batched.enumerated().map { index, subject in
                    Task {
                        try await fixture.preferences.notifyLogin(
                            Self.login(subject, eventID: "batched-\(index)"), options: RPCCallOptions())
                    }
                }
            }
            for answer in answers { _ = try await answer.value }
            let expected = try await fixture.noticeRows(of: alone, kind: .login, auditAction: "login_notice")
            #expect(!expected.isEmpty)
            for subject in batched {
                let rows = try await fixture.noticeRows(of: subject, kind: .login, auditAction: "login_notice")
                #expect(rows == expected)
            }
        }
    }

    @Test func aSignInTheServerRejectsFailsAloneAndTheOthersAreNotified() async throws {
        try await PreferencesFixture.with { fixture in
            // An audit trigger refusing one means stands for any failure of one sign-in's statements.
            try await fixture.refuseAuditRows(detailLike: "means: BANK_IDENTITY%")
            let subjects = (0..<10).map { _ in PreferencesFixture.newSubject() }
            let answers = try await Self.whileLanesAreBusy(fixture) {
                subjects.enumerated().map { index, subject in
                    var request = Self.login(subject, eventID: "event-\(index)")
                    if index == 6 { request.means = "BANK_IDENTITY" }
                    return Task {
                        try await fixture.preferences.notifyLogin(request, options: RPCCallOptions()).devices
                    }
                }
            }
            for (index, answer) in answers.enumerated() {
                if index == 6 {
                    let error = await #expect(throws: RPCError.self) { try await answer.value }
                    #expect(error?.code == .internal)
                } else {
                    #expect(try await answer.value == 0)
                }
            }
            let notified = try await fixture.database.query(
                "SELECT subject FROM notification WHERE subject = ANY(\(subjects)) ORDER BY subject"
            ).decode(String.self)
            #expect(notified == subjects.enumerated().filter { $0.offset != 6 }.map(\.element).sorted())
        }
    }

    /// One `NotifyLogins` call answers each sign-in as `NotifyLogin` would answer it alone: a refused
    /// one fails alone (and writes nothing), a repeated event id notifies once.
    @Test func notifyLoginsAnswersEachSignInAsNotifyLoginWould() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            _ = try await fixture.pairKeys(2, for: subject)
            var badMeans = Self.login(subject, eventID: "refused")
            badMeans.means = "PASSWORD"
            let logins = [
                Self.login(subject, eventID: "first"), badMeans, Self.login(subject, eventID: "first"),
                Self.login("", eventID: "no-subject"),
            ]
            let outcomes = try await fixture.preferences.notifyLogins(
                Mk_Preferences_V1_NotifyLoginsRequest(logins: logins), options: RPCCallOptions()
            ).outcomes
            let invalid = RPCStatusCode.invalidArgument.rawValue
            #expect(outcomes.map(\.statusCode) == [0, invalid, 0, invalid])
            #expect(outcomes.map(\.devices) == [2, 0, 2, 0])
            #expect(outcomes[1].statusMessage.hasPrefix("means:"))
            let notices = try await fixture.database.query(
                """
                SELECT count(*) FROM notification
                WHERE subject = \(subject) AND kind = \(Mk_Preferences_V1_InboxKind.login.rawValue)
                """
            ).single(Int64.self)
            #expect(notices == 1)
        }
    }

    @Test func aNotifyLoginsCallWithNoSignInOrMoreThanAHundredIsRefusedWhole() async throws {
        try await PreferencesFixture.with { fixture in
            let before = try await fixture.snapshot()
            let subject = PreferencesFixture.newSubject()
            for count in [0, 101] {
                let logins = (0..<count).map { Self.login(subject, eventID: "e-\($0)") }
                let error = await rpcError {
                    try await fixture.preferences.notifyLogins(.init(logins: logins), options: RPCCallOptions())
                }
                #expect(error?.code == .invalidArgument)
                #expect(error?.message.hasPrefix("logins:") == true)
            }
            #expect(try await fixture.snapshot() == before)
        }
    }

    static func login(_ subject: String, eventID: String) -> Mk_Preferences_V1_NotifyLoginRequest {
        Mk_Preferences_V1_NotifyLoginRequest(
            subject: subject, means: "EOP", atUnixMicros: 1_760_000_000_000_000, origin: "Praha", eventId: eventID)
    }

    /// Starts the calls `start` returns while the sign-in batch lane waits for a held citizen lock.
    static func whileLanesAreBusy<T>(
        _ fixture: PreferencesFixture, _ start: () -> [Task<T, any Error>]
    ) async throws -> [Task<T, any Error>] {
        try await fixture.whileBatchLanesAreBusy(
            blockedCall: { subject, number in
                _ = try await fixture.preferences.notifyLogin(
                    Self.login(subject, eventID: "blocker-\(number)"), options: RPCCallOptions())
            }, start)
    }
}
