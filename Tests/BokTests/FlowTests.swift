import Bok
import Foundation
import MKContracts
import MKEvents
import MKMessages
import MKRPC
import MKTestSupport
import Testing

extension BokSuite {
    /// The counter → phone → counter flow end to end, over real RPC with the real registry and
    /// Preferences.
    @Suite("Counter, phone, counter")
    struct FlowTests {
        @Test func theFullFlowVerifiesTheRightBokAndReportsItToTheCounterAndPreferences() async throws {
            try await BokFixture.with { fixture in
                let subject = BokFixture.newSubject()
                let key = try await fixture.pair(subject)
                try await fixture.setBok(subject, "482916")

                let started = try await fixture.start(subject)
                #expect(started.counterCode.utf8.count == 6 && started.counterCode.allSatisfy(\.isASCII))
                let expectedExpiry = fixture.clock.now().addingTimeInterval(120).timeIntervalSince1970 * 1_000_000
                #expect(Double(started.expiresAtUnixMicros) == expectedExpiry.rounded())

                let prompts = try await fixture.bok.listPrompts(.init(subject: subject, deviceId: key.deviceID)).prompts
                #expect(prompts.count == 1)
                #expect(prompts.first?.requestId == started.requestId)
                #expect(prompts.first?.officeName == "Magistrát města Brna")
                #expect(prompts.first?.purpose == "Výpis z rejstříku trestů")
                #expect(prompts.first?.expiresAtUnixMicros == started.expiresAtUnixMicros)
                #expect(prompts.first?.attemptsLeft == 3)

                let pending = try await fixture.bok.getVerification(
                    .init(office: BokFixture.office, requestId: started.requestId)).verification
                #expect(pending?.state == .pending)

                let answered = try await fixture.submit(started, subject: subject, key: key, bok: "482916")
                #expect(answered.state == .verified)
                #expect(answered.attemptsLeft == 3)

                let verification = try #require(
                    try await fixture.bok.getVerification(.init(office: BokFixture.office, requestId: started.requestId))
                        .verification)
                #expect(verification.state == .verified)
                #expect(verification.finishedAtUnixMicros > 0)
                #expect(verification.attemptsLeft == 3)
                #expect(try await fixture.bok.listPrompts(.init(subject: subject, deviceId: key.deviceID)).prompts.isEmpty)

                let events = try await fixture.allOutcomes(subject)
                #expect(events.map(\.result) == [.set, .started, .verified])
                let startedEvent = try #require(events.dropFirst().first)
                #expect(startedEvent.requestId == started.requestId && startedEvent.deviceId.isEmpty)
                #expect(startedEvent.officeName == "Magistrát města Brna")
                #expect(startedEvent.purpose == "Výpis z rejstříku trestů" && startedEvent.attemptsLeft == 3)
                let outcomes = try await fixture.outcomes(subject)
                #expect(outcomes.map(\.result) == [.set, .verified])
                #expect(outcomes.last?.requestId == started.requestId)
                #expect(outcomes.last?.deviceId == key.deviceID)
                #expect(outcomes.last?.officeName == "Magistrát města Brna")
                #expect(try await fixture.auditActions(subject) == [
                    "bok_set", "verification_started", "verification_answer_claimed", "verification_verified",
                ])

                let history = try await fixture.bok.listVerificationHistory(.init(subject: subject)).entries
                #expect(history.map(\.state) == [.verified])

                // The outcomes reach the real Preferences through the BOK outbox relay.
                let relay = OutboxRelay(
                    client: fixture.bokDatabase,
                    subscribers: [OutboxSubscriber(name: "preferences", caller: fixture.preferencesCaller)],
                    configuration: OutboxRelayConfiguration(producer: "bok"), logger: BokFixture.logger)
                try await relay.registerSubscribers()
                let secondStart = try await fixture.start(subject, purpose: "Ověření totožnosti")
                _ = try await fixture.bok.cancelVerification(
                    .init(office: BokFixture.office, requestId: secondStart.requestId))
                let delivered = try await relay.deliverBatch(
                    to: OutboxSubscriber(name: "preferences", caller: fixture.preferencesCaller))
                // The second start's STARTED notice and its cancellation.
                guard case .delivered(let count, _) = delivered else {
                    Issue.record("nothing delivered: \(delivered)")
                    return
                }
                #expect(count == 2)
            }
        }

        @Test func theServiceHandsOutItsHpkePublicKey() async throws {
            try await BokFixture.with { fixture in
                let key = try await fixture.bok.getHpkePublicKey(.init())
                #expect(key.keyId == fixture.hpkeKey.keyID)
                #expect(key.publicKey == fixture.hpkeKey.publicKeyX963)
                #expect(key.publicKey.count == 65 && key.publicKey.first == 0x04)
            }
        }

        @Test func aCitizenWithoutAnyBokPadKeyCannotBeVerified() async throws {
            try await BokFixture.with { fixture in
                let subject = BokFixture.newSubject()
                try await fixture.setBok(subject, "1234")
                let refused = await rpcError { try await fixture.start(subject) }
                #expect(refused?.code == .failedPrecondition)
                #expect(refused?.reason == "NO_BOK_PAD_KEY")
                let key = try await fixture.pair(subject)
                try await fixture.setBokPad(false, for: key, of: subject)
                let stillRefused = await rpcError { try await fixture.start(subject) }
                #expect(stillRefused?.reason == "NO_BOK_PAD_KEY")
                try await fixture.setBokPad(true, for: key, of: subject)
                _ = try await fixture.start(subject)
            }
        }
    }
}
