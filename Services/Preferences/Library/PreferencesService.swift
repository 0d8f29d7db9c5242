internal import Foundation
public import Logging
public import MKContracts
public import MKMessages
public import MKPostgres
public import MKRPC
public import MKServiceRuntime

/// The `mk.preferences.v1.Preferences` service: validates each request (INVALID_ARGUMENT naming
/// the field, before touching the database), runs it as one transaction, and turns every failure
/// into a wire status in one place.
public struct PreferencesService: Mk_Preferences_V1_Preferences.ServiceProtocol {
    let store: PreferencesStore
    /// Concurrent `NotifyLogin` calls, notified together (``PreferencesStore/notifyLogins(_:)``).
    private let logins: BatchQueue<(login: PreferencesStore.Login, origin: CallOrigin), Int>
    /// Concurrent `SendInformative` calls, accepted together (``PreferencesStore/sendInformatives(_:logger:)``).
    private let informatives: BatchQueue<
        (informative: PreferencesStore.Informative, origin: CallOrigin), PreferencesStore.AcceptedInformative
    >
    private let logger: Logger

    /// Creates the service over `client`, whose connections use the service's schema.
    public init(
        client: PostgresClient,
        configuration: PreferencesConfiguration = PreferencesConfiguration(),
        clock: any WallClock = SystemWallClock(),
        logger: Logger
    ) {
        let store = PreferencesStore(client: client, clock: clock, configuration: configuration)
        self.store = store
        self.logins = BatchQueue(batchLimit: configuration.loginBatchLimit, lanes: configuration.loginBatchLanes) {
            batch in await store.notifyLogins(batch, logger: logger)
        }
        self.informatives = BatchQueue(
            batchLimit: configuration.informativeBatchLimit, lanes: configuration.informativeBatchLanes
        ) { batch in await store.sendInformatives(batch, logger: logger) }
        self.logger = logger
    }

    /// Runs `body`, mapping its errors to wire statuses.
    private func serve<Response>(_ context: RPCContext, _ body: () async throws -> Response) async throws(RPCError)
        -> Response
    {
        do {
            return try await body()
        } catch {
            throw ServiceFailure.rpcError(for: error, service: "Preferences service", logger: context.logger)
        }
    }

    /// Serves `GetSettings`.
    public func getSettings(
        _ request: Mk_Preferences_V1_GetSettingsRequest, context: RPCContext
    ) async throws -> Mk_Preferences_V1_GetSettingsResponse {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            return Mk_Preferences_V1_GetSettingsResponse(settings: try await store.settings(of: subject))
        }
    }

    /// Serves `SaveSettings`.
    public func saveSettings(
        _ request: Mk_Preferences_V1_SaveSettingsRequest, context: RPCContext
    ) async throws -> Mk_Preferences_V1_SaveSettingsResponse {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            guard let settings = request.settings else { throw RequestValidation.invalid("settings", "is required") }
            let grid = try Self.grid(settings)
            let saved = try await store.saveSettings(grid, of: subject, origin: CallOrigin(context))
            return Mk_Preferences_V1_SaveSettingsResponse(settings: saved)
        }
    }

    /// Checks the grid's shape: exactly one e-mail and one SMS row, key rows naming distinct
    /// UUIDs. Whether the keys are the citizen's active ones is checked under the citizen's lock.
    static func grid(_ settings: Mk_Preferences_V1_Settings) throws(RPCError) -> PreferencesStore.Grid {
        var email: Bool?
        var sms: Bool?
        for (index, row) in settings.contacts.enumerated() {
            let field = "settings.contacts[\(index)].channel"
            switch row.channel {
            case .email:
                guard email == nil else { throw RequestValidation.invalid(field, "names EMAIL twice") }
                email = row.informative
            case .sms:
                guard sms == nil else { throw RequestValidation.invalid(field, "names SMS twice") }
                sms = row.informative
            case .device:
                throw RequestValidation.invalid(
                    field, "must be EMAIL or SMS; login notices and BOK-pad exist only for mobile keys (settings.devices)")
            case .unspecified, .unrecognized:
                throw RequestValidation.invalid(field, "must be EMAIL or SMS")
            }
        }
        guard let email, let sms else {
            throw RequestValidation.invalid("settings.contacts", "must contain exactly one EMAIL and one SMS row")
        }
        var seen: Set<UUID> = []
        var devices: [(id: UUID, informative: Bool, login: Bool, bokPad: Bool)] = []
        for (index, row) in settings.devices.enumerated() {
            let field = "settings.devices[\(index)].device_id"
            let id = try RequestValidation.uuid(row.deviceId, field: field)
            guard seen.insert(id).inserted else { throw RequestValidation.invalid(field, "names a key twice") }
            devices.append((id, row.informative, row.login, row.bokPad))
        }
        return PreferencesStore.Grid(
            emailInformative: email, smsInformative: sms, devices: devices, basedOn: settings.version)
    }

    /// Serves `GetContacts`.
    public func getContacts(
        _ request: Mk_Preferences_V1_GetContactsRequest, context: RPCContext
    ) async throws -> Mk_Preferences_V1_GetContactsResponse {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            return Mk_Preferences_V1_GetContactsResponse(contacts: try await store.contacts(of: subject))
        }
    }

    /// Serves `SaveContacts`.
    public func saveContacts(
        _ request: Mk_Preferences_V1_SaveContactsRequest, context: RPCContext
    ) async throws -> Mk_Preferences_V1_SaveContactsResponse {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            guard let contacts = request.contacts else { throw RequestValidation.invalid("contacts", "is required") }
            let email =
                contacts.email.trimmingCharacters(in: .whitespaces).isEmpty
                ? nil : try EmailAddress(parsing: contacts.email, field: "contacts.email")
            let phone =
                contacts.phone.trimmingCharacters(in: .whitespaces).isEmpty
                ? nil : try PhoneNumber(parsing: contacts.phone, field: "contacts.phone")
            let saved = try await store.saveContacts(email: email, phone: phone, of: subject, origin: CallOrigin(context))
            return Mk_Preferences_V1_SaveContactsResponse(contacts: saved)
        }
    }

    /// Serves `SendInformative`.
    public func sendInformative(
        _ request: Mk_Preferences_V1_SendInformativeRequest, context: RPCContext
    ) async throws -> Mk_Preferences_V1_SendInformativeResponse {
        try await serve(context) {
            let informative = PreferencesStore.Informative(
                authorityID: try RequestValidation.identifier(request.authorityId, field: "authority_id", maximum: 64),
                authorityName: try Validation.text(request.authorityName, field: "authority_name", minimum: 1, maximum: 200),
                subject: try RequestValidation.subject(request.subject),
                title: try Validation.text(request.title, field: "title", minimum: 1, maximum: 200),
                body: try Validation.text(request.body, field: "body", minimum: 1, maximum: 4000, multiline: true),
                idempotencyKey: try RequestValidation.identifier(
                    request.idempotencyKey, field: "idempotency_key", maximum: 128))
            let accepted = try await informatives.submit((informative, CallOrigin(context)))
            return Mk_Preferences_V1_SendInformativeResponse(
                notificationId: accepted.id.lowercaseText, channels: accepted.channels)
        }
    }

    /// Serves `GetNotificationStatus`.
    public func getNotificationStatus(
        _ request: Mk_Preferences_V1_GetNotificationStatusRequest, context: RPCContext
    ) async throws -> Mk_Preferences_V1_GetNotificationStatusResponse {
        try await serve(context) {
            let authority = try RequestValidation.identifier(request.authorityId, field: "authority_id", maximum: 64)
            let id = try RequestValidation.uuid(request.notificationId, field: "notification_id")
            return Mk_Preferences_V1_GetNotificationStatusResponse(
                channels: try await store.notificationStatus(id, authorityID: authority))
        }
    }

    /// The means names NotifyLogin accepts.
    static let meansNames: Set<String> = ["MOBILE_KEY", "EOP", "BANK_IDENTITY", "NIA_ID", "OTHER"]

    /// Serves `NotifyLogin`.
    public func notifyLogin(
        _ request: Mk_Preferences_V1_NotifyLoginRequest, context: RPCContext
    ) async throws -> Mk_Preferences_V1_NotifyLoginResponse {
        try await serve(context) {
            let devices = try await logins.submit((try Self.login(request), CallOrigin(context)))
            return Mk_Preferences_V1_NotifyLoginResponse(devices: UInt32(devices))
        }
    }

    /// Serves `NotifyLogins`: each sign-in is checked and answered as `NotifyLogin` would answer it
    /// alone; the valid ones are notified together (``PreferencesStore/notifyLogins(_:logger:)``).
    public func notifyLogins(
        _ request: Mk_Preferences_V1_NotifyLoginsRequest, context: RPCContext
    ) async throws -> Mk_Preferences_V1_NotifyLoginsResponse {
        try await serve(context) {
            let origin = CallOrigin(context)
            let outcomes = try await BatchCall.outcomes(
                of: request.logins, field: "logins", maximum: 100, check: Self.login,
                process: { await store.notifyLogins($0.map { ($0, origin) }, logger: context.logger) }
            ) { result in
                switch result {
                case .success(let devices): Mk_Preferences_V1_NotifyLoginOutcome(devices: UInt32(devices))
                case .failure(let error): Self.outcome(failure: error, context: context)
                }
            }
            return Mk_Preferences_V1_NotifyLoginsResponse(outcomes: outcomes)
        }
    }

    /// A sign-in's outcome carrying the status its own call would have answered for `error`.
    private static func outcome(failure error: any Error, context: RPCContext)
        -> Mk_Preferences_V1_NotifyLoginOutcome
    {
        let status = ServiceFailure.rpcError(for: error, service: "Preferences service", logger: context.logger)
        return Mk_Preferences_V1_NotifyLoginOutcome(
            statusCode: status.code.rawValue, statusMessage: status.message, statusReason: status.reason)
    }

    /// Checks a reported sign-in (INVALID_ARGUMENT naming the field).
    private static func login(_ request: Mk_Preferences_V1_NotifyLoginRequest) throws -> PreferencesStore.Login {
        let subject = try RequestValidation.subject(request.subject)
        guard meansNames.contains(request.means) else {
            throw RequestValidation.invalid("means", "must be MOBILE_KEY, EOP, BANK_IDENTITY, NIA_ID or OTHER")
        }
        if request.means == "MOBILE_KEY" {
            _ = try RequestValidation.uuid(request.deviceId, field: "device_id")
        } else if !request.deviceId.isEmpty {
            throw RequestValidation.invalid("device_id", "must be empty unless means is MOBILE_KEY")
        }
        guard request.atUnixMicros >= 0 else {
            throw RequestValidation.invalid("at_unix_micros", "must not be negative")
        }
        let origin = request.origin.isEmpty
            ? "" : try Validation.text(request.origin, field: "origin", minimum: 0, maximum: 200)
        let eventID = request.eventId.isEmpty
            ? nil : try RequestValidation.identifier(request.eventId, field: "event_id", maximum: 128)
        return PreferencesStore.Login(
            subject: subject, means: request.means,
            at: request.atUnixMicros == 0 ? nil : UnixMicros.date(request.atUnixMicros), origin: origin,
            dedupKey: eventID.map { "login:\($0)" })
    }

    /// Serves `ListInbox`.
    public func listInbox(
        _ request: Mk_Preferences_V1_ListInboxRequest, context: RPCContext
    ) async throws -> Mk_Preferences_V1_ListInboxResponse {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            let device = try RequestValidation.uuid(request.deviceId, field: "device_id")
            guard request.limit <= 100 else { throw RequestValidation.invalid("limit", "must be from 0 to 100") }
            let messages = try await store.inbox(
                of: device, subject: subject, limit: request.limit == 0 ? 50 : Int(request.limit))
            return Mk_Preferences_V1_ListInboxResponse(messages: messages)
        }
    }

    /// Serves `AckInbox`.
    public func ackInbox(
        _ request: Mk_Preferences_V1_AckInboxRequest, context: RPCContext
    ) async throws -> Mk_Preferences_V1_AckInboxResponse {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            let device = try RequestValidation.uuid(request.deviceId, field: "device_id")
            guard (1...100).contains(request.messageIds.count) else {
                throw RequestValidation.invalid("message_ids", "must hold 1 to 100 ids")
            }
            var ids: [UUID] = []
            for (index, id) in request.messageIds.enumerated() {
                ids.append(try RequestValidation.uuid(id, field: "message_ids[\(index)]"))
            }
            let count = try await store.acknowledge(ids, of: device, subject: subject, origin: CallOrigin(context))
            return Mk_Preferences_V1_AckInboxResponse(acknowledged: UInt32(count))
        }
    }

    /// Serves `RegisterPushToken`.
    public func registerPushToken(
        _ request: Mk_Preferences_V1_RegisterPushTokenRequest, context: RPCContext
    ) async throws -> Mk_Preferences_V1_RegisterPushTokenResponse {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            let device = try RequestValidation.uuid(request.deviceId, field: "device_id")
            let token = try Validation.pushToken(request.pushToken)
            try await store.registerPushToken(token, of: device, subject: subject, origin: CallOrigin(context))
            return Mk_Preferences_V1_RegisterPushTokenResponse()
        }
    }

    /// Serves `ListBokPadDevices`.
    public func listBokPadDevices(
        _ request: Mk_Preferences_V1_ListBokPadDevicesRequest, context: RPCContext
    ) async throws -> Mk_Preferences_V1_ListBokPadDevicesResponse {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            return Mk_Preferences_V1_ListBokPadDevicesResponse(deviceIds: try await store.bokPadDevices(of: subject))
        }
    }

    /// Serves `ListNotices`.
    public func listNotices(
        _ request: Mk_Preferences_V1_ListNoticesRequest, context: RPCContext
    ) async throws -> Mk_Preferences_V1_ListNoticesResponse {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            guard request.limit <= 200 else { throw RequestValidation.invalid("limit", "must be from 0 to 200") }
            let notices = try await store.notices(of: subject, limit: request.limit == 0 ? 50 : Int(request.limit))
            return Mk_Preferences_V1_ListNoticesResponse(notices: notices)
        }
    }
}
