internal import Foundation
internal import Hummingbird
internal import MKContracts
internal import MKMessages

/// Authenticates a mobile key's request from its `X-MK-Device`, `X-MK-Signed-At` and
/// `X-MK-Signature` headers: the Device Registry checks the signature over
/// ``DeviceRequestSignature`` and names the key's owner. Any failure is the same 401.
struct DeviceAuthenticator {
    let dependencies: GatewayDependencies

    /// A verified device and its owner.
    struct Device {
        var deviceID: String
        var subject: String
    }

    /// The device that signed `request` (whose body is `body`).
    func authenticate(_ request: Request, body: [UInt8], context: GatewayRequestContext) async throws -> Device {
        guard let deviceID = request.headers[.mkDevice], PathID.isUUID(deviceID),
            let signedAt = request.headers[.mkSignedAt].flatMap(Int64.init), signedAt > 0,
            let signatureText = request.headers[.mkSignature], signatureText.utf8.count <= 200,
            let signature = Data(base64Encoded: signatureText), !signature.isEmpty
        else { throw failed(context) }
        let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        var signed = Mk_Registry_V1_SignedPayload()
        signed.payload = DeviceRequestSignature.payload(
            method: request.method.rawValue, target: target, signedAtMicros: signedAt, body: body)
        signed.signedAtUnixMicros = signedAt
        var call = Mk_Registry_V1_VerifyDeviceSignatureRequest()
        call.deviceId = deviceID
        call.signedPayload = signed
        call.signature = Array(signature)
        let verdict = try await dependencies.backends.registry.verifyDeviceSignature(call)
        guard verdict.valid, !verdict.subject.isEmpty else { throw failed(context) }
        return Device(deviceID: deviceID, subject: verdict.subject)
    }

    private func failed(_ context: GatewayRequestContext) -> GatewayError {
        guard dependencies.limits.authenticationFailures.allow(context.clientAddress) else {
            return .rateLimited
        }
        return GatewayError(.unauthorized, code: "UNAUTHENTICATED", message: "Podpis zařízení není platný.")
    }
}
