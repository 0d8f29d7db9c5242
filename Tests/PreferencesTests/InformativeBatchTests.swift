import Foundation
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import Preferences
import Testing

/// Concurrent `SendInformative` calls are accepted together, each answered as if it ran alone,
/// with the authority's quota kept as for single calls. Each test holds a citizen's row lock while
/// notifications to them occupy both batch lanes, so the calls started meanwhile queue and go
/// together once the lock is released.
@Suite("Informative notifications in batches")
struct InformativeBatchTests {
    @Test func concurrentSendsShareTransactionsAndEachIsAnsweredAsAlone() async throws {
        try await PreferencesFixture.with(pushEnabled: true) { fixture in
            let subjects = (0..<6).map { _ in PreferencesFixture.newSubject() }
            var keys: [[String]] = []
            for subject in subjects { keys.append(try await fixture.pairKeys(2, for: subject)) }
            _ = try await fixture.saveContacts(subjects[0], email: "jana@example.cz")
            try await fixture.registerPushToken(subjects[1], keys[1][0], "token-a")
            let earlier = try await fixture.send(PreferencesFixture.informative(subjects[0], key: "earlier"))
            // Per citizen: one notification sent twice, one other; and a repeat of the earlier one.
            let requests =
                subjects.enumerated().flatMap { index, subject in
                    [
                        PreferencesFixture.informative(subject, key: "twice-\(index)"),
                        PreferencesFixture.informative(subject, key: "twice-\(index)"),
                        PreferencesFixture.informative(subject, key: "once-\(index)", title: "Jiný titulek"),
                    ]
                } + [PreferencesFixture.informative(subjects[0], key: "earlier")]
            let answers = try await Self.whileLanesAreBusy(fixture) {
                requests.map { request in Task { try await fixture.send(request) } }
            }
            var ids: [String: String] = [:]
            for (request, answer) in zip(requests, answers) {
                let answer = try await answer.value
                // The same key answers the same notification, the earlier one included.
                #expect(ids[request.idempotencyKey, default: answer.notificationId] == answer.notificationId)
                ids[request.idempotencyKey] = answer.notificationId
                // Each answer is what the sender reads back later.
                let status = try await fixture.preferences.getNotificationStatus(
                    .init(authorityId: "ossz", notificationId: answer.notificationId), options: RPCCallOptions())
                #expect(answer.channels == status.channels)
            }
            #expect(ids["earlier"] == earlier.notificationId)
            #expect(ids.count == 13)
            let stored = try await fixture.database.query(
                """
                SELECT count(*), count(DISTINCT xmin::text) FROM notification
                WHERE subject = ANY(\(subjects)) AND idempotency_key <> 'earlier'
                """
            ).single((Int64, Int64).self)
            #expect(stored.0 == 12)
            // Fewer transactions than notifications: they were written together.
            #expect(stored.1 < 12)
            let counted = try await fixture.database.query(
                "SELECT sum(used)::bigint FROM authority_quota WHERE authority_id = 'ossz'"
            ).single(Int64.self)
            #expect(counted == 13)
            let audited = try await fixture.database.query(
                "SELECT count(*) FROM audit WHERE subject = ANY(\(subjects)) AND action = 'informative_accepted'"
            ).single(Int64.self)
            #expect(audited == 13)
            #expect(try await fixture.wakeups(keys[1][0]).map(\.state) == ["pending"])
            #expect(try await fixture.wakeups(keys[1][1]).isEmpty)
        }
    }

    @Test func aBatchWritesTheRowsACallAloneWritesAndTheirRepeatsMatch() async throws {
        try await PreferencesFixture.with { fixture in
            let alone = PreferencesFixture.newSubject()
            let batched = (0..<5).map { _ in PreferencesFixture.newSubject() }
            for subject in [alone] + batched {
                _ = try await fixture.pairKeys(2, for: subject)
                _ = try await fixture.saveContacts(subject, email: "jana@example.cz")
            }
            _ = try await fixture.send(PreferencesFixture.informative(alone, key: "alone"))
            let requests = batched.enumerated().map { index, subject in
                PreferencesFixture.informative(subject, key: "batched-\(index)")
            }
            let answers = try await Self.whileLanesAreBusy(fixture) {
                requests.map { request in Task { try await fixture.send(request) } }
            }
            let expected = try await fixture.noticeRows(
                of: alone, kind: .informative, auditAction: "informative_accepted")
            #expect(expected.count == 1)
            for (request, answer) in zip(requests, answers) {
                let answer = try await answer.value
                let rows = try await fixture.noticeRows(
                    of: request.subject, kind: .informative, auditAction: "informative_accepted")
                #expect(rows == expected)
                // The stored content hash is the one a call alone computes: a repeat matches it.
                let before = try await fixture.snapshot()
                #expect(try await fixture.send(request).notificationId == answer.notificationId)
                #expect(try await fixture.snapshot() == before)
            }
        }
    }

    @Test func aKeyReusedWithOtherContentInABatchIsAlreadyExistsAndStoresNothing() async throws {
        try await PreferencesFixture.with { fixture in
            let subjects = (0..<6).map { _ in PreferencesFixture.newSubject() }
            // Subjects 0 and 1 use one key for other content; the others their own keys.
            let requests = subjects.enumerated().map { index, subject in
                PreferencesFixture.informative(subject, key: index < 2 ? "shared" : "own-\(index)")
            }
            let answers = try await Self.whileLanesAreBusy(fixture) {
                requests.map { request in Task { try await fixture.send(request) } }
            }
            var refused: [String] = []
            for (request, answer) in zip(requests, answers) {
                do {
                    _ = try await answer.value
                } catch let error as RPCError {
                    #expect(error.code == .alreadyExists)
                    #expect(request.idempotencyKey == "shared")
                    refused.append(request.subject)
                }
            }
            #expect(refused.count == 1)
            let notified = try await fixture.database.query(
                "SELECT subject FROM notification WHERE subject = ANY(\(subjects)) ORDER BY subject"
            ).decode(String.self)
            #expect(notified == subjects.filter { !refused.contains($0) }.sorted())
            // Not even the refused citizen's row was created.
            let citizens = try await fixture.database.query(
                "SELECT count(*) FROM citizen WHERE subject = ANY(\(refused))").single(Int64.self)
            #expect(citizens == 0)
        }
    }

    @Test func aBatchThatWouldPassTheQuotaStopsExactlyAtIt() async throws {
        try await PreferencesFixture.with(quotaPerHour: 5, quotaSlots: 4) { fixture in
            let requests = (0..<8).map { index in
                PreferencesFixture.informative(PreferencesFixture.newSubject(), key: "q\(index)")
            }
            let answers = try await Self.whileLanesAreBusy(fixture) {
                requests.map { request in Task { try await fixture.send(request) } }
            }
            var accepted: [String] = []
            for (request, answer) in zip(requests, answers) {
                do {
                    _ = try await answer.value
                    accepted.append(request.subject)
                } catch let error as RPCError {
                    #expect(error.code == .resourceExhausted)
                }
            }
            #expect(accepted.count == 5)
            let stored = try await fixture.database.query(
                "SELECT subject FROM notification WHERE authority_id = 'ossz' ORDER BY subject"
            ).decode(String.self)
            #expect(stored == accepted.sorted())
            let counted = try await fixture.database.query(
                "SELECT sum(used)::bigint FROM authority_quota WHERE authority_id = 'ossz'"
            ).single(Int64.self)
            #expect(counted == 5)
        }
    }

    @Test func aTransactionHoldsNoMoreNotificationsOfAnAuthorityThanItsQuotaHasSlots() async throws {
        try await PreferencesFixture.with(quotaSlots: 2) { fixture in
            let requests = (0..<8).map { index in
                PreferencesFixture.informative(
                    PreferencesFixture.newSubject(), key: "s\(index)", authority: index < 6 ? "ossz" : "mvcr")
            }
            let answers = try await Self.whileLanesAreBusy(fixture) {
                requests.map { request in Task { try await fixture.send(request) } }
            }
            for answer in answers { _ = try await answer.value }
            let transactions = try await fixture.database.query(
                """
                SELECT count(*) FILTER (WHERE authority_id = 'ossz') FROM notification
                WHERE authority_id IN ('ossz', 'mvcr') GROUP BY xmin::text
                """
            ).decode(Int64.self)
            #expect(transactions.allSatisfy { $0 <= 2 }, "\(transactions)")
            // Still fewer transactions than notifications.
            #expect(transactions.count < 8)
            let counted = try await fixture.database.query(
                "SELECT slot, used FROM authority_quota WHERE authority_id = 'ossz' ORDER BY slot"
            ).decode((Int16, Int32).self)
            #expect(counted.map(\.0).allSatisfy { (0..<2).contains($0) })
            #expect(counted.map { Int($0.1) }.reduce(0, +) == 6)
        }
    }

    @Test func aNotificationTheServerRejectsFailsAloneAndTheOthersAreAccepted() async throws {
        try await PreferencesFixture.with { fixture in
            // An audit trigger refusing one authority stands for any failure of one call's statements.
            try await fixture.refuseAuditRows(detailLike: "%authority: refused")
            let subjects = (0..<8).map { _ in PreferencesFixture.newSubject() }
            let requests = subjects.enumerated().map { index, subject in
                PreferencesFixture.informative(subject, key: "r\(index)", authority: index == 5 ? "refused" : "ossz")
            }
            let answers = try await Self.whileLanesAreBusy(fixture) {
                requests.map { request in Task { try await fixture.send(request) } }
            }
            for (index, answer) in answers.enumerated() {
                if index == 5 {
                    let error = await #expect(throws: RPCError.self) { try await answer.value }
                    #expect(error?.code == .internal)
                } else {
                    _ = try await answer.value
                }
            }
            let notified = try await fixture.database.query(
                "SELECT subject FROM notification WHERE subject = ANY(\(subjects)) ORDER BY subject"
            ).decode(String.self)
            #expect(notified == subjects.enumerated().filter { $0.offset != 5 }.map(\.element).sorted())
            let counted = try await fixture.database.query(
                "SELECT coalesce(sum(used), 0)::bigint FROM authority_quota WHERE authority_id = 'refused'"
            ).single(Int64.self)
            #expect(counted == 0)
        }
    }

    /// Starts the calls `start` returns while both informative batch lanes wait for a held citizen
    /// lock; the blocking calls come from an authority of their own, outside the tests' quotas.
    static func whileLanesAreBusy<T>(
        _ fixture: PreferencesFixture, _ start: () -> [Task<T, any Error>]
    ) async throws -> [Task<T, any Error>] {
        try await fixture.whileBatchLanesAreBusy(
            lanes: PreferencesConfiguration().informativeBatchLanes,
            blockedCall: { subject, number in
                _ = try await fixture.send(
                    PreferencesFixture.informative(subject, key: "blocker-\(number)", authority: "blocker"))
            }, start)
    }
}
