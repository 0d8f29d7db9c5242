internal import Foundation
internal import MKMessages
internal import MKPostgres
internal import MKRPC
internal import MKServiceRuntime

extension PreferencesStore {
    /// A validated grid to save.
    struct Grid: Sendable {
        var emailInformative: Bool
        var smsInformative: Bool
        /// Per key, in request order: (informative, login, BOK-pad).
        var devices: [(id: UUID, informative: Bool, login: Bool, bokPad: Bool)]
        /// The version the grid was based on.
        var basedOn: UInt64
    }

    /// The whole grid; defaults when the citizen never saved anything.
    ///
    /// Its two reads share a round trip. They are two snapshots, not one transaction: a save based on
    /// them fails as stale or fails its check of the keys if a key came or went in between.
    func settings(of subject: String) async throws -> Mk_Preferences_V1_Settings {
        async let citizen = client.pipelinedQuery(Self.citizenSettingsQuery(of: subject))
        async let devices = client.pipelinedQuery(Self.deviceSettingsQuery(of: subject))
        return try Self.settings(citizen: try await citizen, devices: Self.deviceSettings(try await devices))
    }

    /// The whole grid as the current transaction sees it.
    nonisolated(nonsending) func settings(of subject: String, on connection: PostgresConnection) async throws
        -> Mk_Preferences_V1_Settings
    {
        let citizen = try await connection.query(Self.citizenSettingsQuery(of: subject))
        return try Self.settings(citizen: citizen, devices: try await devices(of: subject, on: connection))
    }

    private static func citizenSettingsQuery(of subject: String) -> PostgresQuery {
        "SELECT email, phone, email_informative, sms_informative, version FROM citizen WHERE subject = \(subject)"
    }

    /// The grid from the citizen's row (none: the defaults) and the keys' switches.
    private static func settings(
        citizen rows: PostgresRows, devices: [Mk_Preferences_V1_DeviceSetting]
    ) throws -> Mk_Preferences_V1_Settings {
        let row = try rows.decodeFirst((String, String, Bool, Bool, Int64).self)
        let citizen = row.map { Citizen(email: $0.0, phone: $0.1, emailInformative: $0.2, smsInformative: $0.3, version: $0.4) }
            ?? Citizen(email: "", phone: "", emailInformative: true, smsInformative: true, version: 0)
        var settings = Mk_Preferences_V1_Settings()
        settings.contacts = [
            Mk_Preferences_V1_ContactSetting(
                channel: .email, present: !citizen.email.isEmpty, address: citizen.email,
                informative: citizen.emailInformative),
            Mk_Preferences_V1_ContactSetting(
                channel: .sms, present: !citizen.phone.isEmpty, address: citizen.phone,
                informative: citizen.smsInformative),
        ]
        settings.devices = devices
        settings.version = UInt64(citizen.version)
        return settings
    }

    /// Saves `grid` all or nothing: ABORTED when another save (or a key change) came first,
    /// INVALID_ARGUMENT when it does not name exactly the citizen's active keys.
    func saveSettings(_ grid: Grid, of subject: String, origin: CallOrigin) async throws -> Mk_Preferences_V1_Settings {
        let now = clock.now()
        return try await client.withTransaction { connection in
            let citizen = try await lockCitizen(subject, at: now, on: connection)
            guard let basedOn = Int64(exactly: grid.basedOn), basedOn == citizen.version else {
                throw RPCError(
                    .aborted, "The settings were changed in the meantime; load them again and repeat the change.",
                    reason: "STALE_VERSION")
            }
            let active = Set(try await devices(of: subject, on: connection).compactMap { UUID(uuidString: $0.deviceId) })
            for (index, device) in grid.devices.enumerated() where !active.contains(device.id) {
                throw RequestValidation.invalid(
                    "settings.devices[\(index)].device_id", "is not one of the citizen's active keys")
            }
            let missing = active.subtracting(grid.devices.map(\.id)).count
            guard missing == 0 else {
                throw RequestValidation.invalid("settings.devices", "must list every active key (\(missing) missing)")
            }
            try await connection.query(
                """
                UPDATE citizen SET email_informative = \(grid.emailInformative), sms_informative = \(grid.smsInformative),
                                   version = version + 1, updated_at = \(now)
                WHERE subject = \(subject)
                """)
            for device in grid.devices {
                try await connection.query(
                    """
                    UPDATE device_setting SET informative = \(device.informative), login = \(device.login),
                                              bok_pad = \(device.bokPad)
                    WHERE device_id = \(device.id) AND subject = \(subject)
                    """)
            }
            let detail =
                "email informative: \(grid.emailInformative), sms informative: \(grid.smsInformative), "
                + grid.devices.map {
                    "\($0.id.lowercaseText): informative \($0.informative), login \($0.login), bok-pad \($0.bokPad)"
                }.joined(separator: "; ")
            try await audit("settings_saved", subject: subject, detail: detail, origin: origin, at: now, on: connection)
            return try await settings(of: subject, on: connection)
        }
    }

    /// The keys with BOK-pad on, in pairing order.
    func bokPadDevices(of subject: String) async throws -> [String] {
        try await client.pipelinedQuery(
            """
            SELECT device_id FROM device_setting WHERE subject = \(subject) AND bok_pad
            ORDER BY paired_at, device_id
            """
        ).decode(UUID.self).map { $0.lowercaseText }
    }

    /// The contacts as stored.
    func contacts(of subject: String) async throws -> Mk_Preferences_V1_Contacts {
        let row = try await client.pipelinedQuery("SELECT email, phone FROM citizen WHERE subject = \(subject)")
            .decodeFirst((String, String).self)
        return Mk_Preferences_V1_Contacts(email: row?.0 ?? "", phone: row?.1 ?? "")
    }

    /// Replaces the contacts (an empty value removes one); the grid's version increases.
    func saveContacts(
        email: EmailAddress?, phone: PhoneNumber?, of subject: String, origin: CallOrigin
    ) async throws -> Mk_Preferences_V1_Contacts {
        let now = clock.now()
        let newEmail = email?.display ?? ""
        let newPhone = phone?.e164 ?? ""
        return try await client.withTransaction { connection in
            let citizen = try await lockCitizen(subject, at: now, on: connection)
            try await connection.query(
                """
                UPDATE citizen SET email = \(newEmail), phone = \(newPhone), version = version + 1, updated_at = \(now)
                WHERE subject = \(subject)
                """)
            func change(_ old: String, _ new: String) -> String {
                old == new ? "unchanged" : (new.isEmpty ? "removed" : "set")
            }
            try await audit(
                "contacts_saved", subject: subject,
                detail: "email: \(change(citizen.email, newEmail)), phone: \(change(citizen.phone, newPhone))",
                origin: origin, at: now, on: connection)
            return Mk_Preferences_V1_Contacts(email: newEmail, phone: newPhone)
        }
    }
}
