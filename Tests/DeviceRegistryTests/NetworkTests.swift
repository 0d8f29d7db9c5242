import Crypto
import DeviceRegistry
import Foundation
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import Testing

/// The main flows over a real TCP connection, so encoding, status codes and reasons are proven on
/// the wire and not only in-process.
@Suite("Over the network")
struct NetworkTests {
    @Test func pairingListingRenamingAndUnpairingWorkOverTheWire() async throws {
        try await RegistryFixture.with(overNetwork: true) { fixture in
            let subject = RegistryFixture.newSubject()
            let (device, key) = try await fixture.pair(subject)
            let listed = try await fixture.registry.listDevices(.init(subject: subject), options: RPCCallOptions())
            #expect(listed.devices.map(\.deviceId) == [device.deviceId])

            let renamed = try await fixture.registry.renameDevice(
                .init(subject: subject, deviceId: device.deviceId, displayName: "Služební 📱"), options: RPCCallOptions())
            #expect(renamed.device?.displayName == "Služební 📱")

            let challenge = try await fixture.registry.issueChallenge(
                .init(deviceId: device.deviceId), options: RPCCallOptions())
            let signature = try key.signature(for: SignatureTests.challengeMessage(challenge))
            let verified = try await fixture.registry.verifyDeviceSignature(
                SignatureTests.verification(
                    device.deviceId, challengeID: challenge.challengeId, signature: Array(signature.derRepresentation)),
                options: RPCCallOptions())
            #expect(verified.valid)

            let refused = await rpcError {
                try await fixture.registry.unpairDevice(
                    .init(subject: subject, deviceId: device.deviceId, confirmLastMeans: false, reason: .citizen),
                    options: RPCCallOptions())
            }
            #expect(refused?.code == .failedPrecondition)
            #expect(refused?.reason == "LAST_MEANS")
            let unpaired = try await fixture.registry.unpairDevice(
                .init(subject: subject, deviceId: device.deviceId, confirmLastMeans: true, reason: .citizen),
                options: RPCCallOptions())
            #expect(unpaired.unpaired)
        }
    }

    @Test func badInputAndUnknownKeysKeepTheirStatusOverTheWire() async throws {
        try await RegistryFixture.with(overNetwork: true) { fixture in
            let invalid = await rpcError {
                try await fixture.registry.listDevices(.init(subject: "bad subject"), options: RPCCallOptions())
            }
            #expect(invalid?.code == .invalidArgument)
            #expect(invalid?.message.hasPrefix("subject") == true)
            let missing = await rpcError {
                try await fixture.registry.getDevice(
                    .init(subject: RegistryFixture.newSubject(), deviceId: UUID().uuidString.lowercased()),
                    options: RPCCallOptions())
            }
            #expect(missing?.code == .notFound)
        }
    }
}
