import Bok
import Foundation
import MKContracts
import MKMessages
import MKRPC
import MKTestSupport
import Testing

extension BokSuite {
    /// Replays, expiry, wrong counter codes, BOK-pad, offices, caps and the BOK's own states.
    @Suite("Verification requests")
    struct RequestLifecycleTests {
        @Test func aValidAnswerCannotBeReplayed() async throws {
            try await BokFixture.with { fixture in
                let subject = BokFixture.newSubject()
                let key = try await fixture.pair(subject)
                try await fixture.setBok(subject, "1234")
                let started = try await fixture.start(subject)
                let answer = try fixture.answer(
                    started.requestId, subject: subject, key: key, counterCode: started.counterCode, bok: "1234")
                #expect(try await fixture.bok.submitAnswer(answer).state == .verified)
                let replay = await rpcError { try await fixture.bok.submitAnswer(answer) }
                #expect(replay?.code == .failedPrecondition)
                #expect(replay?.reason == "REQUEST_CLOSED")
                #expect(try await fixture.failures(subject) == 0)
                #expect(try await fixture.outcomes(subject).map(\.result) == [.set, .verified])
            }
        }

        @Test func anExpiredRequestIsAnsweredExpiredAndCountsNothing() async throws {
            try await BokFixture.with { fixture in
                let subject = BokFixture.newSubject()
                let key = try await fixture.pair(subject)
                try await fixture.setBok(subject, "1234")
                let started = try await fixture.start(subject)
                fixture.clock.advance(by: 121)
                #expect(try await fixture.bok.listPrompts(.init(subject: subject, deviceId: key.deviceID)).prompts.isEmpty)
                let wrong = try await fixture.submit(started, subject: subject, key: key, bok: "9999")
                #expect(wrong.state == .expired && wrong.attemptsLeft == 3)
                let right = try await fixture.submit(started, subject: subject, key: key, bok: "1234")
                #expect(right.state == .expired)
                #expect(try await fixture.failures(subject) == 0)
                let verification = try await fixture.bok.getVerification(
                    .init(office: BokFixture.office, requestId: started.requestId)).verification
                #expect(verification?.state == .expired)
                #expect(try await fixture.outcomes(subject).map(\.result) == [.set, .expired])
                // The citizen can be asked again.
                _ = try await fixture.start(subject)
            }
        }

        @Test func theSweeperExpiresRequestsNobodyReads() async throws {
            try await BokFixture.with { fixture in
                let subject = BokFixture.newSubject()
                _ = try await fixture.pair(subject)
                try await fixture.setBok(subject, "1234")
                let started = try await fixture.start(subject)
                let service = BokService(
                    client: fixture.bokDatabase, peppers: fixture.peppers, hpkeKey: fixture.hpkeKey,
                    registry: fixture.registryCaller, preferences: fixture.preferencesCaller,
                    configuration: fixture.configuration, clock: fixture.clock)
                #expect(try await service.expireDueVerifications() == 0)
                fixture.clock.advance(by: 120)
                #expect(try await service.expireDueVerifications() == 1)
                #expect(try await fixture.requestState(started.requestId) == "expired")
                #expect(try await fixture.outcomes(subject).map(\.result) == [.set, .expired])
            }
        }

        @Test func aWrongCounterCodeVoidsTheRequestWithoutCountingAFailure() async throws {
            try await BokFixture.with { fixture in
                let subject = BokFixture.newSubject()
                let key = try await fixture.pair(subject)
                try await fixture.setBok(subject, "1234")
                let started = try await fixture.start(subject)
                let typo = started.counterCode == "000000" ? "000001" : "000000"
                let voided = try await fixture.submit(started, subject: subject, key: key, bok: "9999", counterCode: typo)
                #expect(voided.state == .wrongCounterCode && voided.attemptsLeft == 3)
                #expect(try await fixture.failures(subject) == 0)
                let retry = await rpcError { try await fixture.submit(started, subject: subject, key: key, bok: "1234") }
                #expect(retry?.reason == "REQUEST_CLOSED")
                let verification = try await fixture.bok.getVerification(
                    .init(office: BokFixture.office, requestId: started.requestId)).verification
                #expect(verification?.state == .wrongCounterCode)
                #expect(try await fixture.outcomes(subject).map(\.result) == [.set, .wrongCounterCode])
            }
        }

        @Test func aKeyWithBokPadOffGetsNoPromptAndCannotAnswer() async throws {
            try await BokFixture.with { fixture in
                let subject = BokFixture.newSubject()
                let padKey = try await fixture.pair(subject)
                let otherKey = try await fixture.pair(subject)
                try await fixture.setBokPad(false, for: otherKey, of: subject)
                try await fixture.setBok(subject, "1234")
                let started = try await fixture.start(subject)
                #expect(
                    try await fixture.bok.listPrompts(.init(subject: subject, deviceId: otherKey.deviceID)).prompts.isEmpty)
                #expect(
                    try await fixture.bok.listPrompts(.init(subject: subject, deviceId: padKey.deviceID)).prompts.count == 1)
                let refused = await rpcError {
                    try await fixture.submit(started, subject: subject, key: otherKey, bok: "1234")
                }
                #expect(refused?.code == .failedPrecondition)
                #expect(refused?.reason == "BOK_PAD_OFF")
                #expect(try await fixture.requestState(started.requestId) == "pending")
                #expect(try await fixture.failures(subject) == 0)
                #expect(try await fixture.submit(started, subject: subject, key: padKey, bok: "1234").state == .verified)
            }
        }

        @Test func anOfficeSeesAndCancelsOnlyItsOwnRequests() async throws {
            try await BokFixture.with { fixture in
                let subject = BokFixture.newSubject()
                _ = try await fixture.pair(subject)
                try await fixture.setBok(subject, "1234")
                let started = try await fixture.start(subject)
                let read = await rpcError {
                    try await fixture.bok.getVerification(.init(office: BokFixture.otherOffice, requestId: started.requestId))
                }
                #expect(read?.code == .notFound)
                let unknown = await rpcError {
                    try await fixture.bok.getVerification(
                        .init(office: BokFixture.office, requestId: UUID().uuidString.lowercased()))
                }
                #expect(unknown?.code == .notFound)
                #expect(read?.message == unknown?.message)
                let cancel = await rpcError {
                    try await fixture.bok.cancelVerification(
                        .init(office: BokFixture.otherOffice, requestId: started.requestId))
                }
                #expect(cancel?.code == .notFound)
                #expect(try await fixture.requestState(started.requestId) == "pending")

                let cancelled = try await fixture.bok.cancelVerification(
                    .init(office: BokFixture.office, requestId: started.requestId)).verification
                #expect(cancelled?.state == .cancelled)
                let again = try await fixture.bok.cancelVerification(
                    .init(office: BokFixture.office, requestId: started.requestId)).verification
                #expect(again?.state == .cancelled)
                #expect(try await fixture.outcomes(subject).map(\.result) == [.set, .cancelled])
            }
        }

        @Test func noBokAndBlockedAreStatesWithTheirOwnAnswers() async throws {
            try await BokFixture.with { fixture in
                let subject = BokFixture.newSubject()
                _ = try await fixture.pair(subject)
                let none = try await fixture.bok.getBokStatus(.init(subject: subject))
                #expect(none.state == .none && none.attemptsLeft == 0)
                let noBok = await rpcError { try await fixture.start(subject) }
                #expect(noBok?.code == .failedPrecondition)
                #expect(noBok?.reason == "NO_BOK")
                let unblock = await rpcError {
                    try await fixture.bok.unblockBok(.init(office: BokFixture.office, subject: subject, newCode: "1234"))
                }
                #expect(unblock?.code == .notFound)
                #expect(try await fixture.bok.clearBok(.init(office: BokFixture.office, subject: subject)).state == .none)
                #expect(try await fixture.outcomes(subject).isEmpty)

                try await fixture.setBok(subject, "1234")
                let twice = await rpcError {
                    try await fixture.bok.setBok(.init(office: BokFixture.office, subject: subject, code: "5678"))
                }
                #expect(twice?.code == .alreadyExists)
                let started = try await fixture.start(subject)
                #expect(try await fixture.bok.clearBok(.init(office: BokFixture.office, subject: subject)).state == .none)
                #expect(try await fixture.requestState(started.requestId) == "cancelled")
                #expect(try await fixture.bok.getBokStatus(.init(subject: subject)).state == .none)
                #expect(try await fixture.outcomes(subject).map(\.result) == [.set, .cancelled, .cleared])
            }
        }

        @Test func oneRequestAtATimeAndCapsPerCitizenAndPerCounter() async throws {
            try await BokFixture.with(configuration: BokFixture.configuration(citizenLimit: 2, counterLimit: 3)) { fixture in
                let subject = BokFixture.newSubject()
                _ = try await fixture.pair(subject)
                try await fixture.setBok(subject, "1234")
                let first = try await fixture.start(subject)
                let pending = await rpcError { try await fixture.start(subject) }
                #expect(pending?.reason == "VERIFICATION_PENDING")
                _ = try await fixture.bok.cancelVerification(.init(office: BokFixture.office, requestId: first.requestId))
                let second = try await fixture.start(subject)
                _ = try await fixture.bok.cancelVerification(.init(office: BokFixture.office, requestId: second.requestId))
                let citizenCap = await rpcError { try await fixture.start(subject) }
                #expect(citizenCap?.code == .resourceExhausted)
                #expect(citizenCap?.reason == "CITIZEN_LIMIT")
                fixture.clock.advance(by: 601)
                _ = try await fixture.start(subject)

                let other = BokFixture.newSubject()
                _ = try await fixture.pair(other)
                try await fixture.setBok(other, "1234")
                let counterCap = await rpcError { try await fixture.start(other) }
                #expect(counterCap?.code == .resourceExhausted)
                #expect(counterCap?.reason == "COUNTER_LIMIT")
                _ = try await fixture.start(other, office: BokFixture.otherOffice)
            }
        }
    }
}
