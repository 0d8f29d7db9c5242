internal import Foundation
internal import Hummingbird
internal import MKContracts
internal import MKMessages
internal import MKRPC

/// The citizen JSON API (`/api/v1/…`): everything the portal does, for a signed-in citizen.
/// State-changing calls need the session's CSRF token in `X-CSRF-Token`.
struct CitizenAPIController {
    let dependencies: GatewayDependencies

    private var backends: GatewayBackends { dependencies.backends }
    private var bodyLimit: Int { dependencies.configuration.maximumBodyBytes }

    func register(_ routes: RouteRegistrar) {
        routes.get("/api/v1/openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(
                status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        routes.get("/api/v1/session") { _, context in
            let session = try CitizenGuard.session(context)
            return Responses.json(
                APIModels.Session(
                    subject: session.subject, name: session.name, csrfToken: session.csrfToken,
                    authenticatedAt: Date(timeIntervalSince1970: TimeInterval(session.authenticatedAt))
                        .formatted(.iso8601),
                    recentSignIn: CitizenGuard.isRecent(session, within: dependencies.configuration.recentSignIn)))
        }
        routes.get("/api/v1/keys") { _, context in try await keys(context) }
        routes.get("/api/v1/keys/{id}") { _, context in
            let session = try CitizenGuard.session(context)
            let response = try await backends.registry.getDevice(
                Mk_Registry_V1_GetDeviceRequest(subject: session.subject, deviceId: try PathID.uuid(context)))
            guard let device = response.device else { throw GatewayError.notFound }
            return Responses.json(WireNames.key(device))
        }
        routes.patch("/api/v1/keys/{id}") { request, context in try await rename(request, context) }
        routes.delete("/api/v1/keys/{id}") { request, context in try await unpair(request, context) }
        routes.get("/api/v1/keys/{id}/last-means") { _, context in
            let session = try CitizenGuard.session(context)
            let response = try await backends.registry.checkLastMeans(
                Mk_Registry_V1_CheckLastMeansRequest(subject: session.subject, deviceId: try PathID.uuid(context)))
            return Responses.json(APIModels.LastMeans(lastMeans: response.lastMeans))
        }
        routes.post("/api/v1/pairings") { request, context in try await startPairing(request, context) }
        routes.get("/api/v1/pairings/{id}") { _, context in
            let session = try CitizenGuard.session(context)
            let response = try await backends.registry.getPairing(
                Mk_Registry_V1_GetPairingRequest(subject: session.subject, pairingId: try PathID.uuid(context)))
            return Responses.json(
                APIModels.PairingStatus(
                    state: WireNames.pairingState(response.state),
                    expiresAt: CzechTime.iso8601(micros: response.expiresAtUnixMicros),
                    deviceId: response.deviceId.isEmpty ? nil : response.deviceId))
        }
        routes.get("/api/v1/settings") { _, context in try await settings(context) }
        routes.put("/api/v1/settings") { request, context in try await saveSettings(request, context) }
        routes.get("/api/v1/contacts") { _, context in
            let session = try CitizenGuard.session(context)
            let contacts = try await backends.preferences.getContacts(
                Mk_Preferences_V1_GetContactsRequest(subject: session.subject)
            ).contacts ?? Mk_Preferences_V1_Contacts()
            return Responses.json(APIModels.Contacts(email: contacts.email, phone: contacts.phone))
        }
        routes.put("/api/v1/contacts") { request, context in try await saveContacts(request, context) }
        routes.get("/api/v1/history") { _, context in
            let session = try CitizenGuard.session(context)
            let entries = try await HistoryComposer(backends: backends).entries(subject: session.subject)
            return Responses.json(
                APIModels.History(
                    entries: entries.map {
                        APIModels.HistoryEntry(
                            at: CzechTime.iso8601(micros: $0.atMicros), kind: "EVENT", event: $0.event, detail: $0.detail)
                    }))
        }
    }

    /// The session of a state-changing call, with its CSRF header checked.
    private func changing(_ request: Request, _ context: GatewayRequestContext) throws -> CitizenSession {
        let session = try CitizenGuard.session(context)
        try CitizenGuard.csrf(request.headers[.xCSRFToken], session)
        return session
    }

    private func keys(_ context: GatewayRequestContext) async throws -> Response {
        let session = try CitizenGuard.session(context)
        async let devices = backends.registry.listDevices(Mk_Registry_V1_ListDevicesRequest(subject: session.subject))
        async let bok = backends.bok.getBokStatus(Mk_Bok_V1_GetBokStatusRequest(subject: session.subject))
        return Responses.json(
            APIModels.KeyList(keys: try await devices.devices.map(WireNames.key), bok: WireNames.bok(try await bok)))
    }

    private func rename(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let session = try changing(request, context)
        let id = try PathID.uuid(context)
        let body = try await RequestBody.json(APIModels.Rename.self, request, limit: bodyLimit)
        let response = try await backends.registry.renameDevice(
            Mk_Registry_V1_RenameDeviceRequest(subject: session.subject, deviceId: id, displayName: body.displayName))
        guard let device = response.device else { throw GatewayError.notFound }
        return Responses.json(WireNames.key(device))
    }

    private func unpair(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let session = try changing(request, context)
        let id = try PathID.uuid(context)
        try CitizenGuard.recent(session, within: dependencies.configuration.recentSignIn)
        var call = Mk_Registry_V1_UnpairDeviceRequest(subject: session.subject, deviceId: id)
        call.confirmLastMeans = request.uri.queryParameters.get("confirmLastMeans") == "true"
        call.reason = .citizen
        let response = try await backends.registry.unpairDevice(call)
        return Responses.json(APIModels.Unpaired(unpaired: response.unpaired, noMeansLeft: response.noMeansLeft))
    }

    private func startPairing(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let session = try changing(request, context)
        try CitizenGuard.recent(session, within: dependencies.configuration.recentSignIn)
        try RateLimits.check(dependencies.limits.pairingStart, session.subject)
        let pairing = try await backends.registry.startPairing(
            Mk_Registry_V1_StartPairingRequest(subject: session.subject))
        let qr = QRCodeSVG.render(pairing.activationCode, title: "QR kód aktivačního kódu")?.rendered ?? ""
        return Responses.json(
            APIModels.Pairing(
                pairingId: pairing.pairingId, activationCode: pairing.activationCode,
                expiresAt: CzechTime.iso8601(micros: pairing.expiresAtUnixMicros), qrSvg: qr),
            status: .created)
    }

    private func settings(_ context: GatewayRequestContext) async throws -> Response {
        let session = try CitizenGuard.session(context)
        async let settings = backends.preferences.getSettings(
            Mk_Preferences_V1_GetSettingsRequest(subject: session.subject))
        async let bok = backends.bok.getBokStatus(Mk_Bok_V1_GetBokStatusRequest(subject: session.subject))
        guard let grid = try await settings.settings else { throw GatewayError.unavailable }
        return Responses.json(Self.settings(grid, bok: WireNames.bok(try await bok)))
    }

    /// The grid as the API shows it; each key's name comes from Preferences (`display_name`, kept
    /// from the registry's events), so reading the grid asks no registry.
    private static func settings(
        _ grid: Mk_Preferences_V1_Settings, bok: APIModels.BokStatus?
    ) -> APIModels.Settings {
        APIModels.Settings(
            version: grid.version,
            contacts: grid.contacts.map {
                APIModels.ContactSetting(
                    channel: WireNames.channel($0.channel), present: $0.present, address: $0.address,
                    informative: $0.informative)
            },
            devices: grid.devices.map {
                APIModels.DeviceSetting(
                    deviceId: $0.deviceId, displayName: $0.displayName.isEmpty ? nil : $0.displayName,
                    informative: $0.informative, login: $0.login, bokPad: $0.bokPad)
            },
            bok: bok)
    }

    private func saveSettings(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let session = try changing(request, context)
        let body = try await RequestBody.json(APIModels.Settings.self, request, limit: bodyLimit)
        var grid = Mk_Preferences_V1_Settings()
        grid.version = body.version
        grid.contacts = body.contacts.map {
            Mk_Preferences_V1_ContactSetting(channel: WireNames.channel($0.channel), informative: $0.informative)
        }
        grid.devices = body.devices.map {
            Mk_Preferences_V1_DeviceSetting(
                deviceId: $0.deviceId, informative: $0.informative, login: $0.login, bokPad: $0.bokPad)
        }
        do {
            let saved = try await backends.preferences.saveSettings(
                Mk_Preferences_V1_SaveSettingsRequest(subject: session.subject, settings: grid))
            guard let grid = saved.settings else { throw GatewayError.unavailable }
            return Responses.json(Self.settings(grid, bok: nil))
        } catch let error as RPCError where error.code == .aborted {
            throw GatewayError(
                .conflict, code: "ABORTED", message: SettingsPage.staleMessage, reason: "STALE_SETTINGS")
        }
    }

    private func saveContacts(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let session = try changing(request, context)
        let body = try await RequestBody.json(APIModels.Contacts.self, request, limit: bodyLimit)
        let saved = try await backends.preferences.saveContacts(
            Mk_Preferences_V1_SaveContactsRequest(
                subject: session.subject, contacts: Mk_Preferences_V1_Contacts(email: body.email, phone: body.phone)))
        let contacts = saved.contacts ?? Mk_Preferences_V1_Contacts()
        return Responses.json(APIModels.Contacts(email: contacts.email, phone: contacts.phone))
    }
}
