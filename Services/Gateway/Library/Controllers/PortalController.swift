internal import Foundation
internal import Hummingbird
internal import MKContracts
internal import MKMessages
internal import MKRPC

/// The citizen portal's pages: keys, rename, unpair, notification settings, pairing, "Vaše
/// údaje" and history. Server-rendered, working without JavaScript.
struct PortalController {
    let dependencies: GatewayDependencies

    private var backends: GatewayBackends { dependencies.backends }
    private var bodyLimit: Int { dependencies.configuration.maximumBodyBytes }

    private static let notices = [
        "prejmenovano": "Zařízení bylo přejmenováno.",
        "odpojeno": "Mobilní klíč byl odpojen.",
    ]

    func register(_ routes: RouteRegistrar) {
        routes.get("/static/portal.css") { _, _ in Self.asset(StaticAssets.stylesheet, type: "text/css; charset=utf-8") }
        routes.get("/static/portal.js") { _, _ in
            Self.asset(StaticAssets.script, type: "text/javascript; charset=utf-8")
        }
        routes.get("/mobilni-klice") { request, context in try await keys(request, context) }
        routes.get("/mobilni-klice/{id}/prejmenovat") { _, context in try await renameForm(context) }
        routes.post("/mobilni-klice/{id}/prejmenovat") { request, context in try await rename(request, context) }
        routes.get("/mobilni-klice/{id}/odpojit") { _, context in try await unpairForm(context) }
        routes.post("/mobilni-klice/{id}/odpojit") { request, context in try await unpair(request, context) }
        routes.get("/nastaveni-notifikaci") { request, context in try await settings(request, context) }
        routes.post("/nastaveni-notifikaci") { request, context in try await saveSettings(request, context) }
        routes.get("/pripojeni") { _, context in
            Responses.html(PairingPages.start(session: try CitizenGuard.session(context), problem: nil))
        }
        routes.post("/pripojeni") { request, context in try await startPairing(request, context) }
        routes.get("/pripojeni/{id}") { _, context in try await pairingStatus(context) }
        routes.get("/vase-udaje") { request, context in try await contacts(request, context) }
        routes.post("/vase-udaje") { request, context in try await saveContacts(request, context) }
        routes.get("/historie") { _, context in try await history(context) }
    }

    private static func asset(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    // MARK: Keys

    private func keys(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let session = try CitizenGuard.session(context)
        let subject = session.subject
        async let devices = backends.registry.listDevices(Mk_Registry_V1_ListDevicesRequest(subject: subject))
        async let bok = backends.bok.getBokStatus(Mk_Bok_V1_GetBokStatusRequest(subject: subject))
        let notice = request.uri.queryParameters.get("zprava").flatMap { Self.notices[$0] }
        return Responses.html(
            KeyListPage.render(devices: try await devices.devices, bok: try await bok, session: session, notice: notice))
    }

    private func device(_ subject: String, _ id: String) async throws -> Mk_Registry_V1_Device {
        let response = try await backends.registry.getDevice(
            Mk_Registry_V1_GetDeviceRequest(subject: subject, deviceId: id))
        guard let device = response.device else { throw GatewayError.notFound }
        return device
    }

    private func renameForm(_ context: GatewayRequestContext) async throws -> Response {
        let session = try CitizenGuard.session(context)
        let device = try await device(session.subject, try PathID.uuid(context))
        return Responses.html(RenamePage.render(device: device, session: session, problem: nil))
    }

    private func rename(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let session = try CitizenGuard.session(context)
        let id = try PathID.uuid(context)
        let form = try await RequestBody.form(request, limit: bodyLimit)
        try CitizenGuard.csrf(form["csrf"], session)
        do {
            _ = try await backends.registry.renameDevice(
                Mk_Registry_V1_RenameDeviceRequest(subject: session.subject, deviceId: id, displayName: form["name"] ?? ""))
        } catch let error as RPCError where error.code == .invalidArgument {
            let device = try await device(session.subject, id)
            return Responses.html(
                RenamePage.render(
                    device: device, session: session,
                    problem: "Název musí mít 1 až 64 znaků a nesmí obsahovat řídicí znaky."),
                status: .badRequest)
        }
        return Responses.redirect("/mobilni-klice?zprava=prejmenovano")
    }

    private func unpairForm(_ context: GatewayRequestContext) async throws -> Response {
        let session = try CitizenGuard.session(context)
        try CitizenGuard.recent(session, within: dependencies.configuration.recentSignIn)
        let id = try PathID.uuid(context)
        async let device = device(session.subject, id)
        async let last = backends.registry.checkLastMeans(
            Mk_Registry_V1_CheckLastMeansRequest(subject: session.subject, deviceId: id))
        return Responses.html(
            UnpairPage.render(
                device: try await device, lastMeans: try await last.lastMeans, session: session, problem: nil))
    }

    private func unpair(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let session = try CitizenGuard.session(context)
        let id = try PathID.uuid(context)
        let form = try await RequestBody.form(request, limit: bodyLimit)
        try CitizenGuard.csrf(form["csrf"], session)
        try CitizenGuard.recent(session, within: dependencies.configuration.recentSignIn)
        var call = Mk_Registry_V1_UnpairDeviceRequest(subject: session.subject, deviceId: id)
        call.confirmLastMeans = form.isOn("confirm_last_means")
        call.reason = .citizen
        do {
            _ = try await backends.registry.unpairDevice(call)
        } catch let error as RPCError where error.code == .failedPrecondition && error.reason == "LAST_MEANS" {
            let device = try await device(session.subject, id)
            return Responses.html(
                UnpairPage.render(
                    device: device, lastMeans: true, session: session,
                    problem: "Pro odpojení posledního identifikačního prostředku potvrďte, že rozumíte následkům."),
                status: .conflict)
        }
        return Responses.redirect("/mobilni-klice?zprava=odpojeno")
    }

    // MARK: Settings

    private func settings(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let session = try CitizenGuard.session(context)
        let saved = request.uri.queryParameters.get("zprava") == "ulozeno"
        return try await settingsPage(
            session, message: saved ? PortalLayout.message("Nastavení bylo uloženo.", kind: .success) : "",
            status: .ok)
    }

    private func settingsPage(_ session: CitizenSession, message: HTML, status: HTTPResponse.Status) async throws
        -> Response
    {
        let subject = session.subject
        async let settings = backends.preferences.getSettings(Mk_Preferences_V1_GetSettingsRequest(subject: subject))
        async let bok = backends.bok.getBokStatus(Mk_Bok_V1_GetBokStatusRequest(subject: subject))
        guard let grid = try await settings.settings else { throw GatewayError.unavailable }
        return Responses.html(
            SettingsPage.render(settings: grid, bok: try await bok, session: session, message: message),
            status: status)
    }

    private func saveSettings(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let session = try CitizenGuard.session(context)
        let form = try await RequestBody.form(request, limit: bodyLimit)
        try CitizenGuard.csrf(form["csrf"], session)
        guard let version = form["version"].flatMap(UInt64.init) else {
            throw GatewayError.badRequest("Formulář nastavení je neúplný.")
        }
        var grid = Mk_Preferences_V1_Settings()
        grid.version = version
        grid.contacts = [
            Mk_Preferences_V1_ContactSetting(channel: .email, informative: form.isOn("email.informative")),
            Mk_Preferences_V1_ContactSetting(channel: .sms, informative: form.isOn("sms.informative")),
        ]
        grid.devices = form.all("device").filter(PathID.isUUID).map { id in
            Mk_Preferences_V1_DeviceSetting(
                deviceId: id, informative: form.isOn("device.\(id).informative"), login: form.isOn("device.\(id).login"),
                bokPad: form.isOn("device.\(id).bokPad"))
        }
        do {
            _ = try await backends.preferences.saveSettings(
                Mk_Preferences_V1_SaveSettingsRequest(subject: session.subject, settings: grid))
        } catch let error as RPCError where error.code == .aborted {
            return try await settingsPage(
                session, message: PortalLayout.message(SettingsPage.staleMessage, kind: .warning), status: .conflict)
        } catch let error as RPCError where error.code == .invalidArgument || error.code == .failedPrecondition {
            return try await settingsPage(
                session,
                message: PortalLayout.message(
                    "Nastavení se nepodařilo uložit, protože se mezitím změnil seznam Vašich zařízení. "
                        + "Zkontrolujte prosím nastavení a uložte je znovu.", kind: .error),
                status: .conflict)
        }
        return Responses.redirect("/nastaveni-notifikaci?zprava=ulozeno")
    }

    // MARK: Pairing

    private func startPairing(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let session = try CitizenGuard.session(context)
        let form = try await RequestBody.form(request, limit: bodyLimit)
        try CitizenGuard.csrf(form["csrf"], session)
        try CitizenGuard.recent(session, within: dependencies.configuration.recentSignIn)
        try RateLimits.check(dependencies.limits.pairingStart, session.subject)
        let pairing: Mk_Registry_V1_StartPairingResponse
        do {
            pairing = try await backends.registry.startPairing(
                Mk_Registry_V1_StartPairingRequest(subject: session.subject))
        } catch let error as RPCError where error.code == .resourceExhausted || error.code == .failedPrecondition {
            return Responses.html(
                PairingPages.start(
                    session: session,
                    problem: "Nový aktivační kód teď vydat nelze (příliš mnoho platných kódů nebo připojených zařízení). "
                        + "Zkuste to prosím později."),
                status: .tooManyRequests)
        }
        let qr = QRCodeSVG.render(pairing.activationCode, title: "QR kód aktivačního kódu") ?? ""
        return Responses.html(PairingPages.code(pairing, qrSVG: qr, session: session))
    }

    private func pairingStatus(_ context: GatewayRequestContext) async throws -> Response {
        let session = try CitizenGuard.session(context)
        let id = try PathID.uuid(context)
        let state = try await backends.registry.getPairing(
            Mk_Registry_V1_GetPairingRequest(subject: session.subject, pairingId: id))
        return Responses.html(PairingPages.status(state, pairingID: id, session: session))
    }

    // MARK: Contacts and history

    private func contacts(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let session = try CitizenGuard.session(context)
        let response = try await backends.preferences.getContacts(
            Mk_Preferences_V1_GetContactsRequest(subject: session.subject))
        let saved = request.uri.queryParameters.get("zprava") == "ulozeno"
        return Responses.html(
            ContactsPage.render(
                contacts: response.contacts ?? Mk_Preferences_V1_Contacts(), session: session,
                message: saved ? PortalLayout.message("Vaše údaje byly uloženy.", kind: .success) : ""))
    }

    private func saveContacts(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let session = try CitizenGuard.session(context)
        let form = try await RequestBody.form(request, limit: bodyLimit)
        try CitizenGuard.csrf(form["csrf"], session)
        let contacts = Mk_Preferences_V1_Contacts(
            email: (form["email"] ?? "").trimmingCharacters(in: .whitespaces),
            phone: (form["phone"] ?? "").trimmingCharacters(in: .whitespaces))
        do {
            _ = try await backends.preferences.saveContacts(
                Mk_Preferences_V1_SaveContactsRequest(subject: session.subject, contacts: contacts))
        } catch let error as RPCError where error.code == .invalidArgument {
            return Responses.html(
                ContactsPage.render(
                    contacts: contacts, session: session,
                    message: PortalLayout.message(
                        "Údaje se nepodařilo uložit: zkontrolujte e-mailovou adresu a telefonní číslo.", kind: .error)),
                status: .badRequest)
        }
        return Responses.redirect("/vase-udaje?zprava=ulozeno")
    }

    private func history(_ context: GatewayRequestContext) async throws -> Response {
        let session = try CitizenGuard.session(context)
        let entries = try await HistoryComposer(backends: backends).entries(subject: session.subject)
        return Responses.html(HistoryPage.render(entries: entries, session: session))
    }
}
