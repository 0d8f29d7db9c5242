import Bok
import Foundation
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import Testing

extension BokSuite {
    /// Wrong answers, blocking, unblocking, and the guarantee that parallel answers get at most
    /// three tries between them.
    @Suite("Failure counting")
    struct FailureCountingTests {
        @Test func threeWrongAnswersBlockTheBokAndOnlyAnOfficeUnblocksIt() async throws {
            try await BokFixture.with { fixture in
                let subject = BokFixture.newSubject()
                let key = try await fixture.pair(subject)
                try await fixture.setBok(subject, "1234")
                var results: [Mk_Bok_V1_SubmitAnswerResponse] = []
                for _ in 0..<3 {
                    let started = try await fixture.start(subject)
                    results.append(try await fixture.submit(started, subject: subject, key: key, bok: "4321"))
                }
                #expect(results.map(\.state) == [.wrongBok, .wrongBok, .blocked])
                #expect(results.map(\.attemptsLeft) == [2, 1, 0])
                #expect(try await fixture.failures(subject) == 3)
                let status = try await fixture.bok.getBokStatus(.init(subject: subject))
                #expect(status.state == .blocked && status.attemptsLeft == 0)

                // The right BOK is refused: no verification can even start.
                let refused = await rpcError { try await fixture.start(subject) }
                #expect(refused?.code == .failedPrecondition)
                #expect(refused?.reason == "BOK_BLOCKED")

                _ = try await fixture.bok.unblockBok(.init(office: BokFixture.office, subject: subject, newCode: "777777"))
                let unblocked = try await fixture.bok.getBokStatus(.init(subject: subject))
                #expect(unblocked.state == .active && unblocked.attemptsLeft == 3)
                let started = try await fixture.start(subject)
                let old = try await fixture.submit(started, subject: subject, key: key, bok: "1234")
                #expect(old.state == .wrongBok && old.attemptsLeft == 2)
                let again = try await fixture.start(subject)
                let right = try await fixture.submit(again, subject: subject, key: key, bok: "777777")
                #expect(right.state == .verified && right.attemptsLeft == 3)
                #expect(try await fixture.failures(subject) == 0)
                #expect(try await fixture.outcomes(subject).map(\.result) == [
                    .set, .wrongBok, .wrongBok, .blocked, .unblocked, .wrongBok, .verified,
                ])
            }
        }

        @Test func aRightBokResetsTheConsecutiveFailures() async throws {
            try await BokFixture.with { fixture in
                let subject = BokFixture.newSubject()
                let key = try await fixture.pair(subject)
                try await fixture.setBok(subject, "1234")
                for code in ["0000", "1111", "1234", "2222", "3333"] {
                    let started = try await fixture.start(subject)
                    _ = try await fixture.submit(started, subject: subject, key: key, bok: code)
                }
                #expect(try await fixture.failures(subject) == 2)
                #expect(try await fixture.bok.getBokStatus(.init(subject: subject)).attemptsLeft == 1)
            }
        }

        /// The one-pending-request rule normally keeps answers one at a time; this test breaks that
        /// rule on purpose (51 pending requests copied in SQL) to prove the counter alone holds:
        /// 50 parallel wrong answers record exactly 3 failures and only 3 BOKs are ever checked,
        /// and then even the right BOK is refused.
        @Test func fiftyParallelWrongAnswersRecordExactlyThreeFailures() async throws {
            try await BokFixture.with { fixture in
                let subject = BokFixture.newSubject()
                let key = try await fixture.pair(subject)
                try await fixture.setBok(subject, "1234")
                let started = try await fixture.start(subject)
                let original = try #require(UUID(uuidString: started.requestId))
                var ids: [String] = []
                for _ in 0..<50 {
                    let copy = UUID()
                    try await fixture.bokDatabase.query(
                        """
                        INSERT INTO verification (id, subject, office_id, office_name, counter_id, purpose,
                            counter_code_key_id, counter_code_mac, state, started_at, expires_at)
                        SELECT \(copy), subject, office_id, office_name, counter_id, purpose, counter_code_key_id,
                               counter_code_mac, state, started_at, expires_at
                        FROM verification WHERE id = \(original)
                        """)
                    ids.append(copy.uuidString.lowercased())
                }
                let answers = try ids.map {
                    try fixture.answer($0, subject: subject, key: key, counterCode: started.counterCode, bok: "9999")
                }
                let states = try await withThrowingTaskGroup(of: Mk_Bok_V1_VerificationState.self) { group in
                    for answer in answers {
                        group.addTask { try await fixture.bok.submitAnswer(answer).state }
                    }
                    return try await group.reduce(into: [Mk_Bok_V1_VerificationState]()) { $0.append($1) }
                }
                #expect(try await fixture.failures(subject) == 3)
                #expect(states.filter { $0 == .wrongBok }.count == 2)
                #expect(states.filter { $0 == .blocked }.count == 48)
                let claimed = try await fixture.auditActions(subject).filter { $0 == "verification_answer_claimed" }
                #expect(claimed.count == 3)

                let right = try await fixture.submit(started, subject: subject, key: key, bok: "1234")
                #expect(right.state == .blocked)
                #expect(try await fixture.failures(subject) == 3)
                #expect(try await fixture.bok.getBokStatus(.init(subject: subject)).state == .blocked)
            }
        }

        @Test func fiftyParallelAnswersToOneRequestAreCheckedOnce() async throws {
            try await BokFixture.with { fixture in
                let subject = BokFixture.newSubject()
                let key = try await fixture.pair(subject)
                try await fixture.setBok(subject, "1234")
                let started = try await fixture.start(subject)
                let answer = try fixture.answer(
                    started.requestId, subject: subject, key: key, counterCode: started.counterCode, bok: "9999")
                let outcomes = await withTaskGroup(of: String.self) { group in
                    for _ in 0..<50 {
                        group.addTask {
                            do {
                                return "\(try await fixture.bok.submitAnswer(answer).state)"
                            } catch let error as RPCError {
                                return error.reason
                            } catch {
                                return "\(error)"
                            }
                        }
                    }
                    return await group.reduce(into: [String]()) { $0.append($1) }
                }
                #expect(outcomes.filter { $0 == "\(Mk_Bok_V1_VerificationState.wrongBok)" }.count == 1)
                #expect(outcomes.filter { $0 == "REQUEST_CLOSED" }.count == 49)
                #expect(try await fixture.failures(subject) == 1)
            }
        }

        @Test func restartingTheServiceBetweenTheSecondAndThirdFailureKeepsTheCount() async throws {
            try await BokFixture.with { fixture in
                let subject = BokFixture.newSubject()
                let key = try await fixture.pair(subject)
                try await fixture.setBok(subject, "1234")
                for _ in 0..<2 {
                    let started = try await fixture.start(subject)
                    _ = try await fixture.submit(started, subject: subject, key: key, bok: "0000")
                }
                try await fixture.restartedBok { restarted in
                    let status = try await restarted.getBokStatus(.init(subject: subject))
                    #expect(status.state == .active && status.attemptsLeft == 1)
                    let started = try await restarted.startVerification(
                        .init(office: BokFixture.office, subject: subject, purpose: "Po restartu"))
                    let answer = try fixture.answer(
                        started.requestId, subject: subject, key: key, counterCode: started.counterCode, bok: "0000")
                    let third = try await restarted.submitAnswer(answer)
                    #expect(third.state == .blocked && third.attemptsLeft == 0)
                }
                #expect(try await fixture.failures(subject) == 3)
            }
        }
    }
}
