import Crypto
import DeviceRegistry
import Foundation
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import Testing

@Suite("Pairing")
struct PairingTests {
    @Test func anActivationCodeIsTenUnambiguousCharactersAndOnlyItsHashIsStored() async throws {
        try await RegistryFixture.with { fixture in
            let started = try await fixture.startPairing(RegistryFixture.newSubject())
            #expect(started.activationCode.count == 10)
            #expect(started.activationCode.allSatisfy { "23456789ABCDEFGHJKMNPQRSTUVWXYZ".contains($0) })
            #expect(started.expiresAtUnixMicros - Int64(fixture.clock.now().timeIntervalSince1970 * 1_000_000) <= 240_000_000)
            let stored = try await fixture.snapshot().values.joined().joined()
            #expect(!stored.contains(started.activationCode))
        }
    }

    @Test func redeemingACodeCreatesTheListedKeyWithItsDefaultName() async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            let started = try await fixture.startPairing(subject)
            let typed = started.activationCode.lowercased().enumerated()
                .map { $0.offset == 5 ? "-\($0.element)" : String($0.element) }.joined()
            let response = try await fixture.registry.completePairing(
                RegistryFixture.completion(code: typed), options: RPCCallOptions())
            let device = try #require(response.device)
            #expect(device.displayName == "Pixel 8 (Google Pixel 8)")
            #expect(!device.renamed)
            #expect(device.platform == .android)
            #expect(device.lastUsedAtUnixMicros == 0)

            let listed = try await fixture.registry.listDevices(.init(subject: subject), options: RPCCallOptions())
            #expect(listed.devices == [device])
            let pairing = try await fixture.registry.getPairing(
                .init(subject: subject, pairingId: started.pairingId), options: RPCCallOptions())
            #expect(pairing.state == .completed)
            #expect(pairing.deviceId == device.deviceId)
        }
    }

    @Test func aCodeWorksOnlyOnce() async throws {
        try await RegistryFixture.with { fixture in
            let code = try await fixture.startPairing(RegistryFixture.newSubject()).activationCode
            _ = try await fixture.registry.completePairing(RegistryFixture.completion(code: code), options: RPCCallOptions())
            let error = await rpcError {
                try await fixture.registry.completePairing(RegistryFixture.completion(code: code), options: RPCCallOptions())
            }
            #expect(error?.code == .notFound)
        }
    }

    @Test func twoConcurrentRedemptionsOfOneCodeCreateExactlyOneDevice() async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            let code = try await fixture.startPairing(subject).activationCode
            let registry = fixture.registry
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        (try? await registry.completePairing(
                            RegistryFixture.completion(code: code), options: RPCCallOptions())) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            let listed = try await fixture.registry.listDevices(.init(subject: subject), options: RPCCallOptions())
            #expect(listed.devices.count == 1)
        }
    }

    @Test func aCodeExpiresAfterFourMinutes() async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            let started = try await fixture.startPairing(subject)
            fixture.clock.advance(by: 4 * 60)
            let error = await rpcError {
                try await fixture.registry.completePairing(
                    RegistryFixture.completion(code: started.activationCode), options: RPCCallOptions())
            }
            #expect(error?.code == .notFound)
            let pairing = try await fixture.registry.getPairing(
                .init(subject: subject, pairingId: started.pairingId), options: RPCCallOptions())
            #expect(pairing.state == .expired)
        }
    }

    @Test func aCodeStillWorksJustBeforeItExpires() async throws {
        try await RegistryFixture.with { fixture in
            let started = try await fixture.startPairing(RegistryFixture.newSubject())
            fixture.clock.advance(by: 4 * 60 - 1)
            let response = try await fixture.registry.completePairing(
                RegistryFixture.completion(code: started.activationCode), options: RPCCallOptions())
            #expect(response.device != nil)
        }
    }

    /// A wrong code with the right lookup prefix counts against that session.
    private static func wrongCode(for code: String) -> String {
        let last = code.last == "2" ? "3" : "2"
        return String(code.dropLast()) + last
    }

    @Test func fiveWrongAttemptsKillTheCode() async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            let started = try await fixture.startPairing(subject)
            for _ in 0..<5 {
                let error = await rpcError {
                    try await fixture.registry.completePairing(
                        RegistryFixture.completion(code: Self.wrongCode(for: started.activationCode)),
                        options: RPCCallOptions())
                }
                #expect(error?.code == .notFound)
            }
            let error = await rpcError {
                try await fixture.registry.completePairing(
                    RegistryFixture.completion(code: started.activationCode), options: RPCCallOptions())
            }
            #expect(error?.code == .notFound)
            let pairing = try await fixture.registry.getPairing(
                .init(subject: subject, pairingId: started.pairingId), options: RPCCallOptions())
            #expect(pairing.state == .expired)
        }
    }

    @Test func fourWrongAttemptsStillLeaveTheRightCodeWorking() async throws {
        try await RegistryFixture.with { fixture in
            let started = try await fixture.startPairing(RegistryFixture.newSubject())
            for _ in 0..<4 {
                _ = await rpcError {
                    try await fixture.registry.completePairing(
                        RegistryFixture.completion(code: Self.wrongCode(for: started.activationCode)),
                        options: RPCCallOptions())
                }
            }
            let response = try await fixture.registry.completePairing(
                RegistryFixture.completion(code: started.activationCode), options: RPCCallOptions())
            #expect(response.device != nil)
        }
    }

    @Test func aCitizenHasAtMostThreeLiveCodes() async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            for _ in 0..<3 {
                _ = try await fixture.startPairing(subject)
            }
            let error = await rpcError { try await fixture.startPairing(subject) }
            #expect(error?.code == .resourceExhausted)
            fixture.clock.advance(by: 4 * 60)
            _ = try await fixture.startPairing(subject)
        }
    }

    @Test func aDefaultNameEqualToAnActiveKeysNameGetsASuffix() async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            let first = try await fixture.pair(subject).device
            let second = try await fixture.pair(subject).device
            let third = try await fixture.pair(subject).device
            #expect(first.displayName == "Pixel 8 (Google Pixel 8)")
            #expect(second.displayName == "Pixel 8 (Google Pixel 8) (2)")
            #expect(third.displayName == "Pixel 8 (Google Pixel 8) (3)")
        }
    }

    @Test func theActiveKeyLimitGivesAClearFailedPrecondition() async throws {
        try await RegistryFixture.with(maximumActiveKeys: 2) { fixture in
            let subject = RegistryFixture.newSubject()
            _ = try await fixture.pair(subject)
            _ = try await fixture.pair(subject)
            let code = try await fixture.startPairing(subject).activationCode
            let error = await rpcError {
                try await fixture.registry.completePairing(RegistryFixture.completion(code: code), options: RPCCallOptions())
            }
            #expect(error?.code == .failedPrecondition)
            #expect(error?.reason == "TOO_MANY_KEYS")
        }
    }

    @Test func anotherCitizensPairingIsNotFound() async throws {
        try await RegistryFixture.with { fixture in
            let started = try await fixture.startPairing(RegistryFixture.newSubject())
            let error = await rpcError {
                try await fixture.registry.getPairing(
                    .init(subject: RegistryFixture.newSubject(), pairingId: started.pairingId), options: RPCCallOptions())
            }
            #expect(error?.code == .notFound)
        }
    }

    static let badCompletions: [(field: String, change: @Sendable (inout Mk_Registry_V1_CompletePairingRequest) -> Void)] = [
        ("activation_code", { $0.activationCode = "ABC" }),
        ("activation_code", { $0.activationCode = "0OIL1ABCDE" }),
        ("device_name", { $0.deviceName = "  " }),
        ("device_name", { $0.deviceName = String(repeating: "x", count: 65) }),
        ("model", { $0.model = "Pixel\u{0007}" }),
        ("platform", { $0.platform = .unspecified }),
        ("app_version", { $0.appVersion = String(repeating: "1", count: 33) }),
        ("public_key", { $0.publicKey = [0x04] + [UInt8](repeating: 1, count: 64) }),
        ("public_key", { $0.publicKey = Array($0.publicKey.prefix(33)) }),
        ("push_token", { $0.pushToken = String(repeating: "t", count: 4097) }),
    ]

    @Test(arguments: 0..<badCompletions.count)
    func aMalformedRedemptionNamesTheFieldAndChangesNothing(_ index: Int) async throws {
        try await RegistryFixture.with { fixture in
            let code = try await fixture.startPairing(RegistryFixture.newSubject()).activationCode
            let (field, change) = Self.badCompletions[index]
            var request = RegistryFixture.completion(code: code)
            change(&request)
            let before = try await fixture.snapshot()
            let error = await rpcError { try await fixture.registry.completePairing(request, options: RPCCallOptions()) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix(field) == true)
            #expect(try await fixture.snapshot() == before)
        }
    }

    @Test(arguments: ["", "has space", String(repeating: "a", count: 129), "é"])
    func aMalformedSubjectIsRefusedAndChangesNothing(_ subject: String) async throws {
        try await RegistryFixture.with { fixture in
            let before = try await fixture.snapshot()
            let error = await rpcError { try await fixture.startPairing(subject) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix("subject") == true)
            #expect(try await fixture.snapshot() == before)
        }
    }
}
