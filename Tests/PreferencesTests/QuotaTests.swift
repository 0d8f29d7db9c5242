import Foundation
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import Preferences
import Testing

/// The per-authority hourly quota spread over slot rows: exact for sequential calls, bounded
/// overshoot (at most slots − 1) for concurrent ones, nothing stored for a refused call.
@Suite("Authority quota")
struct QuotaTests {
    /// The deadline of each of many concurrent sends. They queue in Preferences' two batch lanes,
    /// and a part of a batch that would pass the quota is sent one call at a time, so the last
    /// answers come seconds later on a loaded 2-core CI machine — past the client's 10 s default
    /// once (CI, session 9). These tests check the quota, not how fast it answers.
    static let concurrentCallTimeout: Duration = .seconds(120)

    @Test func sequentialSendsStopExactlyAtTheQuotaAcrossSlots() async throws {
        try await PreferencesFixture.with(quotaPerHour: 20, quotaSlots: 4) { fixture in
            for index in 0..<20 {
                let subject = PreferencesFixture.newSubject()
                _ = try await fixture.send(PreferencesFixture.informative(subject, key: "n\(index)"))
            }
            let before = try await fixture.snapshot()
            let error = await rpcError {
                try await fixture.send(PreferencesFixture.informative(PreferencesFixture.newSubject(), key: "n20"))
            }
            #expect(error?.code == .resourceExhausted)
            #expect(error?.message.contains("20") == true)
            #expect(try await fixture.snapshot() == before)
            let slots = try await fixture.database.query(
                "SELECT slot, used FROM authority_quota WHERE authority_id = 'ossz'"
            ).decode((Int16, Int32).self)
            #expect(slots.count > 1, "20 random draws over 4 slots used only \(slots)")
            #expect(slots.allSatisfy { (0..<4).contains($0.0) })
            #expect(slots.map { Int($0.1) }.reduce(0, +) == 20)
        }
    }

    @Test func concurrentSendsNearTheQuotaOvershootAtMostSlotsMinusOneAndStoreEachAcceptedOnce() async throws {
        let quota = 10
        let slots = 4
        let attempts = 60
        try await PreferencesFixture.with(quotaPerHour: quota, quotaSlots: slots) { fixture in
            let outcomes = try await withThrowingTaskGroup(of: (String, String?).self) { group in
                for index in 0..<attempts {
                    group.addTask {
                        let key = "c\(index)"
                        do {
                            let answer = try await fixture.send(
                                PreferencesFixture.informative(PreferencesFixture.newSubject(), key: key),
                                timeout: Self.concurrentCallTimeout)
                            return (key, answer.notificationId)
                        } catch let error as RPCError {
                            #expect(error.code == .resourceExhausted, "\(error)")
                            return (key, nil)
                        }
                    }
                }
                return try await group.reduce(into: [String: String?]()) { $0[$1.0] = $1.1 }
            }
            let accepted = outcomes.compactMapValues { $0 }
            // A refusal counts only committed notifications, so the quota is always reached.
            #expect(accepted.count >= quota)
            #expect(accepted.count <= quota + slots - 1, "accepted \(accepted.count)")
            let stored = try await fixture.database.query(
                "SELECT idempotency_key, id FROM notification WHERE authority_id = 'ossz'"
            ).decode((String, UUID).self)
            let storedPairs = stored.map { "\($0.0) \($0.1.uuidString.lowercased())" }.sorted()
            #expect(storedPairs == accepted.map { "\($0.key) \($0.value.lowercased())" }.sorted())
            // Refused calls left no count behind.
            let used = try await fixture.database.query(
                "SELECT coalesce(sum(used), 0)::bigint FROM authority_quota WHERE authority_id = 'ossz'"
            ).single(Int64.self)
            #expect(used == Int64(accepted.count))
        }
    }

    @Test func thePrunerDeletesTheCountersOfHoursBeforeThePreviousOne() async throws {
        try await PreferencesFixture.with(quotaPerHour: 3, quotaSlots: 2) { fixture in
            let pruner = QuotaPruner(client: fixture.database, clock: fixture.clock, logger: PreferencesFixture.logger)
            func windows() async throws -> [Date: Int64] {
                let rows = try await fixture.database.query(
                    "SELECT window_start, sum(used)::bigint FROM authority_quota GROUP BY window_start"
                ).decode((Date, Int64).self)
                return Dictionary(uniqueKeysWithValues: rows)
            }
            for index in 0..<3 {
                _ = try await fixture.send(
                    PreferencesFixture.informative(PreferencesFixture.newSubject(), key: "a\(index)"))
            }
            let first = try #require(try await windows().keys.first)
            fixture.clock.advance(by: 3600)
            _ = try await fixture.send(PreferencesFixture.informative(PreferencesFixture.newSubject(), key: "b"))
            #expect(try await pruner.pruneOnce() == 0)  // the previous hour is kept
            #expect(try await windows() == [first: 3, first.addingTimeInterval(3600): 1])

            fixture.clock.advance(by: 3600)
            #expect(try await pruner.pruneOnce() >= 1)
            #expect(try await windows() == [first.addingTimeInterval(3600): 1])
            // The current hour counts from zero: its quota of 3 is whole, the 4th is refused.
            for index in 0..<3 {
                _ = try await fixture.send(
                    PreferencesFixture.informative(PreferencesFixture.newSubject(), key: "c\(index)"))
            }
            let error = await rpcError {
                try await fixture.send(PreferencesFixture.informative(PreferencesFixture.newSubject(), key: "c3"))
            }
            #expect(error?.code == .resourceExhausted)
            #expect(try await pruner.pruneOnce() == 0)
        }
    }

    @Test func afterARefusalTheAuthorityIsAnsweredWithoutCountingAndOthersStillBatch() async throws {
        try await PreferencesFixture.with(quotaPerHour: 4, quotaSlots: 2) { fixture in
            let senders = (0..<4).map { _ in PreferencesFixture.newSubject() }
            var earlier: [String] = []
            for (index, subject) in senders.enumerated() {
                earlier.append(
                    try await fixture.send(PreferencesFixture.informative(subject, key: "k\(index)")).notificationId)
            }
            let first = await rpcError {
                try await fixture.send(PreferencesFixture.informative(PreferencesFixture.newSubject(), key: "k4"))
            }
            #expect(first?.code == .resourceExhausted)
            // New notifications of the used-up authority between another authority's, then a
            // repeat and a key reused for other content.
            let refusedSubjects = (0..<4).map { _ in PreferencesFixture.newSubject() }
            var requests: [Mk_Preferences_V1_SendInformativeRequest] = []
            for index in 0..<4 {
                requests.append(PreferencesFixture.informative(refusedSubjects[index], key: "new-\(index)"))
                let other = PreferencesFixture.newSubject()
                requests.append(PreferencesFixture.informative(other, key: "m\(index)", authority: "mvcr"))
            }
            requests.append(PreferencesFixture.informative(senders[0], key: "k0"))
            requests.append(PreferencesFixture.informative(senders[1], key: "k1", title: "Jiný titulek"))
            let answers = try await InformativeBatchTests.whileLanesAreBusy(fixture) {
                requests.map { request in Task { try await fixture.send(request) } }
            }
            for index in 0..<4 {
                let refused = await #expect(throws: RPCError.self) { try await answers[2 * index].value }
                #expect(refused?.code == .resourceExhausted)
                #expect(refused?.message.contains("4") == true)
                _ = try await answers[2 * index + 1].value
            }
            #expect(try await answers[8].value.notificationId == earlier[0])
            let reused = await #expect(throws: RPCError.self) { try await answers[9].value }
            #expect(reused?.code == .alreadyExists)
            // The other authority's notifications went together: refusals no longer make a part
            // of the batch roll back and send its calls one at a time.
            let other = try await fixture.database.query(
                "SELECT count(*), count(DISTINCT xmin::text) FROM notification WHERE authority_id = 'mvcr'"
            ).single((Int64, Int64).self)
            #expect(other.0 == 4)
            #expect(other.1 < 4)
            // Nothing of the refused calls was written.
            let written = try await fixture.database.query(
                """
                SELECT (SELECT count(*) FROM notification WHERE authority_id = 'ossz'),
                       (SELECT sum(used)::bigint FROM authority_quota WHERE authority_id = 'ossz'),
                       (SELECT count(*) FROM citizen WHERE subject = ANY(\(refusedSubjects)))
                """
            ).single((Int64, Int64, Int64).self)
            #expect(written == (4, 4, 0))
            // The next hour's quota is whole again.
            fixture.clock.advance(by: 3600)
            _ = try await fixture.send(PreferencesFixture.informative(refusedSubjects[0], key: "new-0"))
        }
    }

    @Test func oneSlotEnforcesTheQuotaExactlyUnderConcurrency() async throws {
        try await PreferencesFixture.with(quotaPerHour: 5, quotaSlots: 1) { fixture in
            let accepted = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<30 {
                    group.addTask {
                        do {
                            _ = try await fixture.send(
                                PreferencesFixture.informative(PreferencesFixture.newSubject(), key: "s\(index)"),
                                timeout: Self.concurrentCallTimeout)
                            return true
                        } catch let error as RPCError where error.code == .resourceExhausted {
                            return false
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(accepted == 5)
            let stored = try await fixture.database.query(
                "SELECT count(*) FROM notification WHERE authority_id = 'ossz'"
            ).single(Int64.self)
            #expect(stored == 5)
        }
    }
}
