internal import Foundation
internal import Logging
internal import MKContracts
internal import MKMessages
internal import MKRPC
internal import MKServiceRuntime

/// What the BOK service asks the other services: which keys have BOK-pad on (Preferences), which
/// keys are active and whose a signature is (Device Registry). A failing peer is UNAVAILABLE to the
/// caller; nothing is changed before the peers have answered.
struct BokPeers: Sendable {
    let registry: Mk_Registry_V1_DeviceRegistry.Client
    let preferences: Mk_Preferences_V1_Preferences.Client

    private static let options = RPCCallOptions(metadata: RPCMetadata(caller: "bok"))

    /// The citizen's active keys with BOK-pad on: Preferences' list confirmed by the registry.
    func bokPadKeys(of subject: String, logger: Logger) async throws -> Set<String> {
        let enabled = try await bokPadSetting(of: subject, logger: logger)
        guard !enabled.isEmpty else { return [] }
        let active: [Mk_Registry_V1_Device]
        do {
            active = try await registry.listDevices(.init(subject: subject), options: Self.options).devices
        } catch {
            throw BokFailure.peerUnavailable("device registry", error, logger: logger)
        }
        return enabled.intersection(active.map { $0.deviceId.lowercased() })
    }

    /// Whether `deviceID` is an active key of `subject` with BOK-pad on; NOT_FOUND when it is not
    /// an active key of the subject at all.
    func isBokPadKey(_ deviceID: UUID, of subject: String, logger: Logger) async throws -> Bool {
        let id = deviceID.lowercaseText
        do {
            _ = try await registry.getDevice(.init(subject: subject, deviceId: id), options: Self.options)
        } catch let error as RPCError where error.code == .notFound {
            throw BokFailure.deviceNotFound
        } catch {
            throw BokFailure.peerUnavailable("device registry", error, logger: logger)
        }
        return try await bokPadSetting(of: subject, logger: logger).contains(id)
    }

    /// The owner of the active key that made `signature` over `payload`, or `nil` when it does
    /// not verify (unknown or unpaired key, other bytes, stale time).
    func signer(
        of payload: [UInt8], signedAtUnixMicros: Int64, deviceID: UUID, signature: [UInt8], logger: Logger
    ) async throws -> String? {
        var request = Mk_Registry_V1_VerifyDeviceSignatureRequest()
        request.deviceId = deviceID.lowercaseText
        request.signedPayload = Mk_Registry_V1_SignedPayload(payload: payload, signedAtUnixMicros: signedAtUnixMicros)
        request.signature = signature
        let response: Mk_Registry_V1_VerifyDeviceSignatureResponse
        do {
            response = try await registry.verifyDeviceSignature(request, options: Self.options)
        } catch let error as RPCError where error.code == .invalidArgument || error.code == .notFound {
            return nil
        } catch {
            throw BokFailure.peerUnavailable("device registry", error, logger: logger)
        }
        return response.valid ? response.subject : nil
    }

    private func bokPadSetting(of subject: String, logger: Logger) async throws -> Set<String> {
        do {
            let response = try await preferences.listBokPadDevices(.init(subject: subject), options: Self.options)
            return Set(response.deviceIds.map { $0.lowercased() })
        } catch {
            throw BokFailure.peerUnavailable("preferences service", error, logger: logger)
        }
    }
}
