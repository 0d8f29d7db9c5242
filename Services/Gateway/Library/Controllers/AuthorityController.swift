internal import Hummingbird
internal import MKContracts
internal import MKMessages

/// The public authorities' API (`/authority/v1/…`, authority credentials): send an informative
/// notification with an `Idempotency-Key`, read its per-channel status. Never an address.
struct AuthorityController {
    let dependencies: GatewayDependencies

    func register(_ routes: RouteRegistrar) {
        let guardian = CallerGuard(dependencies: dependencies)
        routes.post("/authority/v1/notifications") { request, context in
            let authority = try guardian.require(.authority, request, context)
            guard let key = request.headers[.idempotencyKey], (1...128).contains(key.utf8.count) else {
                throw GatewayError.badRequest("Chybí hlavička Idempotency-Key (1 až 128 znaků).")
            }
            let body = try await RequestBody.json(
                APIModels.SendNotification.self, request, limit: dependencies.configuration.maximumBodyBytes)
            let response = try await dependencies.backends.preferences.sendInformative(
                Mk_Preferences_V1_SendInformativeRequest(
                    authorityId: authority.id, authorityName: authority.name, subject: body.subject, title: body.title,
                    body: body.body, idempotencyKey: key))
            return Responses.json(
                APIModels.NotificationAccepted(
                    notificationId: response.notificationId, channels: WireNames.channels(response.channels)),
                status: .accepted)
        }
        routes.get("/authority/v1/notifications/{id}") { request, context in
            let authority = try guardian.require(.authority, request, context)
            let response = try await dependencies.backends.preferences.getNotificationStatus(
                Mk_Preferences_V1_GetNotificationStatusRequest(
                    authorityId: authority.id, notificationId: try PathID.uuid(context)))
            return Responses.json(APIModels.NotificationStatus(channels: WireNames.channels(response.channels)))
        }
    }
}
