internal import Hummingbird
internal import MKContracts
internal import MKMessages

/// The identity provider's hook (`/idp/v1/logins`, identity-provider credentials): a sign-in by
/// any means records the last use (Device Registry) and sends login notices (Preferences), in
/// parallel, each in a batch with the sign-ins reported meanwhile (``SignInBatches``); both are
/// idempotent by the event id.
struct IdentityProviderController {
    let dependencies: GatewayDependencies

    func register(_ routes: RouteRegistrar) {
        let guardian = CallerGuard(dependencies: dependencies)
        routes.post("/idp/v1/logins") { request, context in
            _ = try guardian.require(.identityProvider, request, context)
            let body = try await RequestBody.json(
                APIModels.Login.self, request, limit: dependencies.configuration.maximumBodyBytes)
            let means = WireNames.means(body.means)
            guard means != .unspecified else {
                throw GatewayError.badRequest("means musí být MOBILE_KEY, EOP, BANK_IDENTITY, NIA_ID nebo OTHER.")
            }
            var use = Mk_Registry_V1_RecordUseRequest()
            use.subject = body.subject
            use.means = means
            use.deviceId = body.deviceId ?? ""
            use.atUnixMicros = body.atUnixMicros ?? 0
            use.origin = body.origin ?? ""
            use.eventId = body.eventId ?? ""
            var notice = Mk_Preferences_V1_NotifyLoginRequest()
            notice.subject = body.subject
            notice.means = body.means
            notice.atUnixMicros = body.atUnixMicros ?? CzechTime.nowMicros()
            notice.origin = body.origin ?? ""
            notice.eventId = body.eventId ?? ""
            notice.deviceId = body.deviceId ?? ""
            async let recorded = dependencies.signIns.recordUse(use)
            async let notified = dependencies.signIns.notifyLogin(notice)
            return Responses.json(
                APIModels.LoginRecorded(recorded: try await recorded, notifiedDevices: Int(try await notified)))
        }
    }
}
