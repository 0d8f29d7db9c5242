import Crypto
import DeviceRegistry
import Foundation
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import Testing

@Suite("Device signatures")
struct SignatureTests {
    static func challengeMessage(_ challenge: Mk_Registry_V1_IssueChallengeResponse) -> [UInt8] {
        Array("mk-challenge-v1".utf8) + Array(challenge.challengeId.utf8) + challenge.nonce
    }

    static func verification(
        _ deviceID: String, challengeID: String, signature: [UInt8]
    ) -> Mk_Registry_V1_VerifyDeviceSignatureRequest {
        var request = Mk_Registry_V1_VerifyDeviceSignatureRequest()
        request.deviceId = deviceID
        request.challenge = Mk_Registry_V1_ChallengeAnswer(challengeId: challengeID)
        request.signature = signature
        return request
    }

    @Test(arguments: [true, false])
    func aSignedChallengeVerifiesOnceInDEROrRawForm(_ der: Bool) async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            let (device, key) = try await fixture.pair(subject)
            let challenge = try await fixture.registry.issueChallenge(
                .init(deviceId: device.deviceId), options: RPCCallOptions())
            #expect(challenge.nonce.count == 32)
            let signature = try key.signature(for: Self.challengeMessage(challenge))
            let bytes = der ? Array(signature.derRepresentation) : Array(signature.rawRepresentation)
            let verified = try await fixture.registry.verifyDeviceSignature(
                Self.verification(device.deviceId, challengeID: challenge.challengeId, signature: bytes),
                options: RPCCallOptions())
            #expect(verified.valid)
            #expect(verified.subject == subject)

            let replayed = try await fixture.registry.verifyDeviceSignature(
                Self.verification(device.deviceId, challengeID: challenge.challengeId, signature: bytes),
                options: RPCCallOptions())
            #expect(!replayed.valid)
            #expect(replayed.subject.isEmpty)
        }
    }

    @Test func aChallengeIsConsumedByAFailedAttemptToo() async throws {
        try await RegistryFixture.with { fixture in
            let (device, key) = try await fixture.pair(RegistryFixture.newSubject())
            let challenge = try await fixture.registry.issueChallenge(
                .init(deviceId: device.deviceId), options: RPCCallOptions())
            let wrong = try await fixture.registry.verifyDeviceSignature(
                Self.verification(device.deviceId, challengeID: challenge.challengeId, signature: [UInt8](repeating: 1, count: 64)),
                options: RPCCallOptions())
            #expect(!wrong.valid)
            let signature = try key.signature(for: Self.challengeMessage(challenge))
            let late = try await fixture.registry.verifyDeviceSignature(
                Self.verification(device.deviceId, challengeID: challenge.challengeId, signature: Array(signature.derRepresentation)),
                options: RPCCallOptions())
            #expect(!late.valid)
        }
    }

    @Test func anExpiredChallengeFails() async throws {
        try await RegistryFixture.with { fixture in
            let (device, key) = try await fixture.pair(RegistryFixture.newSubject())
            let challenge = try await fixture.registry.issueChallenge(
                .init(deviceId: device.deviceId), options: RPCCallOptions())
            fixture.clock.advance(by: 60)
            let signature = try key.signature(for: Self.challengeMessage(challenge))
            let verified = try await fixture.registry.verifyDeviceSignature(
                Self.verification(device.deviceId, challengeID: challenge.challengeId, signature: Array(signature.derRepresentation)),
                options: RPCCallOptions())
            #expect(!verified.valid)
        }
    }

    @Test func aSignatureFromAnUnpairedDeviceFailsAtOnce() async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            let (device, key) = try await fixture.pair(subject)
            let challenge = try await fixture.registry.issueChallenge(
                .init(deviceId: device.deviceId), options: RPCCallOptions())
            let payload = Array("mk-request-v1 GET /inbox".utf8)
            var signed = Mk_Registry_V1_VerifyDeviceSignatureRequest()
            signed.deviceId = device.deviceId
            signed.signedPayload = Mk_Registry_V1_SignedPayload(
                payload: payload, signedAtUnixMicros: Int64(fixture.clock.now().timeIntervalSince1970 * 1_000_000))
            signed.signature = Array(try key.signature(for: payload).derRepresentation)
            #expect(try await fixture.registry.verifyDeviceSignature(signed, options: RPCCallOptions()).valid)

            _ = try await fixture.registry.unpairDevice(
                .init(subject: subject, deviceId: device.deviceId, confirmLastMeans: true, reason: .notMe),
                options: RPCCallOptions())
            #expect(try await !fixture.registry.verifyDeviceSignature(signed, options: RPCCallOptions()).valid)
            let answer = try key.signature(for: Self.challengeMessage(challenge))
            let verified = try await fixture.registry.verifyDeviceSignature(
                Self.verification(device.deviceId, challengeID: challenge.challengeId, signature: Array(answer.derRepresentation)),
                options: RPCCallOptions())
            #expect(!verified.valid)
            let error = await rpcError {
                try await fixture.registry.issueChallenge(.init(deviceId: device.deviceId), options: RPCCallOptions())
            }
            #expect(error?.code == .notFound)
        }
    }

    @Test func aSignedRequestOutsideSixtySecondsFails() async throws {
        try await RegistryFixture.with { fixture in
            let (device, key) = try await fixture.pair(RegistryFixture.newSubject())
            let payload = Array("mk-request-v1 POST /answer".utf8)
            var signed = Mk_Registry_V1_VerifyDeviceSignatureRequest()
            signed.deviceId = device.deviceId
            signed.signedPayload = Mk_Registry_V1_SignedPayload(
                payload: payload, signedAtUnixMicros: Int64(fixture.clock.now().timeIntervalSince1970 * 1_000_000))
            signed.signature = Array(try key.signature(for: payload).rawRepresentation)
            fixture.clock.advance(by: 61)
            #expect(try await !fixture.registry.verifyDeviceSignature(signed, options: RPCCallOptions()).valid)
        }
    }

    @Test func aPayloadWithoutTheRequestPrefixOrWithBothModesIsRefused() async throws {
        try await RegistryFixture.with { fixture in
            let (device, _) = try await fixture.pair(RegistryFixture.newSubject())
            var request = Mk_Registry_V1_VerifyDeviceSignatureRequest()
            request.deviceId = device.deviceId
            request.signedPayload = Mk_Registry_V1_SignedPayload(payload: Array("hello".utf8), signedAtUnixMicros: 1)
            request.signature = [1]
            let prefix = await rpcError { try await fixture.registry.verifyDeviceSignature(request, options: RPCCallOptions()) }
            #expect(prefix?.code == .invalidArgument)
            #expect(prefix?.message.hasPrefix("signed_payload.payload") == true)

            request.challenge = Mk_Registry_V1_ChallengeAnswer(challengeId: UUID().uuidString)
            let both = await rpcError { try await fixture.registry.verifyDeviceSignature(request, options: RPCCallOptions()) }
            #expect(both?.code == .invalidArgument)
        }
    }
}
