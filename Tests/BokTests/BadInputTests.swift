import Bok
import Foundation
import MKContracts
import MKMessages
import MKRPC
import MKTestSupport
import Testing

extension BokSuite {
    /// Malformed codes, ciphertexts, signatures and ids: each a clear error, none of them changes
    /// a counter or a request.
    @Suite("Bad input")
    struct BadInputTests {
        static let malformedCodes = [
            "12a4", "12 34", " 1234", "1234\n", "123", "12345678901", "", "+1234", "١٢٣٤", "１２３４", "12٣4", "½234",
        ]

        @Test(arguments: malformedCodes)
        func aMalformedCodeIsRefusedAndNothingIsStored(_ code: String) async throws {
            try await BokFixture.with { fixture in
                let subject = BokFixture.newSubject()
                let set = await rpcError {
                    try await fixture.bok.setBok(.init(office: BokFixture.office, subject: subject, code: code))
                }
                #expect(set?.code == .invalidArgument)
                #expect(set?.message.hasPrefix("code:") == true)
                #expect(set.map { !$0.message.contains(code) || code.isEmpty } == true)
                #expect(try await fixture.failures(subject) == nil)
                try await fixture.setBok(subject, "1234")
                let unblock = await rpcError {
                    try await fixture.bok.unblockBok(.init(office: BokFixture.office, subject: subject, newCode: code))
                }
                #expect(unblock?.code == .invalidArgument)
                #expect(unblock?.message.hasPrefix("new_code:") == true)
            }
        }

        @Test func theShortestAndLongestCodesAreAccepted() async throws {
            try await BokFixture.with { fixture in
                for code in ["0000", "9876543210"] {
                    let subject = BokFixture.newSubject()
                    let key = try await fixture.pair(subject)
                    try await fixture.setBok(subject, code)
                    let started = try await fixture.start(subject)
                    #expect(try await fixture.submit(started, subject: subject, key: key, bok: code).state == .verified)
                }
            }
        }

        @Test func refusedAnswersChangeNoCounterAndNoRequest() async throws {
            try await BokFixture.with { fixture in
                let subject = BokFixture.newSubject()
                let key = try await fixture.pair(subject)
                try await fixture.setBok(subject, "1234")
                let started = try await fixture.start(subject)
                let intruder = BokFixture.newSubject()
                let intruderKey = try await fixture.pair(intruder)
                let unpairedKey = try await fixture.pair(subject)
                _ = try await fixture.registry.unpairDevice(
                    .init(subject: subject, deviceId: unpairedKey.deviceID, confirmLastMeans: true, reason: .citizen))
                func valid() throws -> Mk_Bok_V1_SubmitAnswerRequest {
                    try fixture.answer(
                        started.requestId, subject: subject, key: key, counterCode: started.counterCode, bok: "1234")
                }
                var cases: [(String, Mk_Bok_V1_SubmitAnswerRequest, RPCStatusCode, String)] = []

                var tampered = try valid()
                tampered.encryptedBok?.ciphertext[0] ^= 0x01
                cases.append(("tampered ciphertext", tampered, .unauthenticated, "BAD_SIGNATURE"))

                cases.append(("tampered ciphertext, signed again", try fixture.resign(tampered, key: key), .invalidArgument,
                              "BAD_CIPHERTEXT"))

                var truncated = try valid()
                truncated.encryptedBok?.ciphertext.removeLast(4)
                cases.append(("truncated ciphertext", try fixture.resign(truncated, key: key), .invalidArgument,
                              "BAD_CIPHERTEXT"))

                var garbage = try valid()
                garbage.encryptedBok?.ciphertext = BokFixture.randomBytes(20)
                cases.append(("random ciphertext", try fixture.resign(garbage, key: key), .invalidArgument, "BAD_CIPHERTEXT"))

                var badKey = try valid()
                badKey.encryptedBok?.encapsulatedKey = [UInt8](repeating: 4, count: 65)
                cases.append(("an encapsulated key off the curve", try fixture.resign(badKey, key: key), .invalidArgument,
                              "BAD_CIPHERTEXT"))

                var shortKey = try valid()
                shortKey.encryptedBok?.encapsulatedKey.removeLast()
                cases.append(("a short encapsulated key", try fixture.resign(shortKey, key: key), .invalidArgument, ""))

                var otherHpkeKey = try valid()
                otherHpkeKey.encryptedBok?.keyId = "someone-else"
                cases.append(("unknown HPKE key", otherHpkeKey, .invalidArgument, "UNKNOWN_KEY"))

                var missing = try valid()
                missing.encryptedBok = nil
                cases.append(("missing ciphertext", missing, .invalidArgument, ""))

                var foreign = try fixture.answer(
                    started.requestId, subject: subject, key: intruderKey, counterCode: started.counterCode, bok: "1234")
                cases.append(("another citizen's key", foreign, .unauthenticated, "BAD_SIGNATURE"))
                foreign.subject = intruder
                cases.append(("another citizen's key for its own subject", foreign, .notFound, ""))

                let unpaired = try fixture.answer(
                    started.requestId, subject: subject, key: unpairedKey, counterCode: started.counterCode, bok: "1234")
                cases.append(("an unpaired key", unpaired, .unauthenticated, "BAD_SIGNATURE"))

                let otherRequest = try fixture.answer(
                    started.requestId, subject: subject, key: key, counterCode: started.counterCode, bok: "1234",
                    signedRequestID: UUID().uuidString.lowercased())
                cases.append(("a signature over a different request", otherRequest, .unauthenticated, "BAD_SIGNATURE"))

                let stale = try fixture.answer(
                    started.requestId, subject: subject, key: key, counterCode: started.counterCode, bok: "1234",
                    signedAt: fixture.clock.now().addingTimeInterval(-61))
                cases.append(("a stale signature", stale, .unauthenticated, "BAD_SIGNATURE"))

                let unknownID = UUID().uuidString.lowercased()
                let unknown = try fixture.answer(
                    unknownID, subject: subject, key: key, counterCode: started.counterCode, bok: "1234")
                cases.append(("an unknown request id", unknown, .notFound, ""))

                var upper = try valid()
                upper.requestId = upper.requestId.uppercased()
                cases.append(("a request id in upper case", upper, .invalidArgument, ""))

                var letters = try valid()
                letters.counterCode = "12a456"
                cases.append(("a counter code with letters", letters, .invalidArgument, ""))

                let notDigits = try fixture.answer(
                    started.requestId, subject: subject, key: key, counterCode: started.counterCode, bok: "12a4")
                cases.append(("a BOK with letters inside the ciphertext", notDigits, .invalidArgument, "BAD_CIPHERTEXT"))

                let elevenDigits = try fixture.answer(
                    started.requestId, subject: subject, key: key, counterCode: started.counterCode, bok: "12345678901")
                cases.append(("an 11-digit BOK inside the ciphertext", elevenDigits, .invalidArgument, "BAD_CIPHERTEXT"))

                for (name, request, code, reason) in cases {
                    let error = await rpcError { try await fixture.bok.submitAnswer(request) }
                    #expect(error?.code == code, "\(name)")
                    if !reason.isEmpty { #expect(error?.reason == reason, "\(name)") }
                    #expect(try await fixture.failures(subject) == 0, "\(name)")
                    #expect(try await fixture.requestState(started.requestId) == "pending", "\(name)")
                }
                #expect(try await fixture.submit(started, subject: subject, key: key, bok: "1234").state == .verified)
            }
        }

        /// The app's ciphertext is bound to the request and the counter code it names: one sealed
        /// for another request, or under another counter code than the one submitted, does not
        /// open, and that is not a BOK failure.
        @Test func aCiphertextForAnotherRequestOrCounterCodeDoesNotOpen() async throws {
            try await BokFixture.with { fixture in
                let subject = BokFixture.newSubject()
                let key = try await fixture.pair(subject)
                try await fixture.setBok(subject, "1234")
                let started = try await fixture.start(subject)
                let other = try fixture.answer(
                    UUID().uuidString.lowercased(), subject: subject, key: key, counterCode: started.counterCode,
                    bok: "1234")
                let typo = started.counterCode == "000000" ? "000001" : "000000"
                let otherCode = try fixture.answer(
                    started.requestId, subject: subject, key: key, counterCode: typo, bok: "1234")
                for sealed in [other, otherCode] {
                    var request = try fixture.answer(
                        started.requestId, subject: subject, key: key, counterCode: started.counterCode, bok: "0000")
                    request.encryptedBok = sealed.encryptedBok
                    let signed = try fixture.resign(request, key: key)
                    let error = await rpcError { try await fixture.bok.submitAnswer(signed) }
                    #expect(error?.code == .invalidArgument)
                    #expect(error?.reason == "BAD_CIPHERTEXT")
                }
                #expect(try await fixture.failures(subject) == 0)
                #expect(try await fixture.requestState(started.requestId) == "pending")
            }
        }

        @Test func badOfficeSubjectAndIdsAreRefusedNamingTheField() async throws {
            try await BokFixture.with { fixture in
                let noOffice = await rpcError { try await fixture.bok.setBok(.init(subject: "citizen-1", code: "1234")) }
                #expect(noOffice?.message.hasPrefix("office:") == true)
                let noCounter = await rpcError {
                    try await fixture.bok.startVerification(
                        .init(office: .init(officeId: "orp", officeName: "ORP"), subject: "citizen-1", purpose: "x"))
                }
                #expect(noCounter?.message.hasPrefix("office.counter_id:") == true)
                let badSubject = await rpcError { try await fixture.bok.getBokStatus(.init(subject: "bad subject")) }
                #expect(badSubject?.message.hasPrefix("subject:") == true)
                let badID = await rpcError {
                    try await fixture.bok.getVerification(.init(office: BokFixture.office, requestId: "nope"))
                }
                #expect(badID?.message.hasPrefix("request_id:") == true)
                let noPurpose = await rpcError {
                    try await fixture.bok.startVerification(.init(office: BokFixture.office, subject: "c-1", purpose: " "))
                }
                #expect(noPurpose?.message.hasPrefix("purpose:") == true)
            }
        }
    }
}
