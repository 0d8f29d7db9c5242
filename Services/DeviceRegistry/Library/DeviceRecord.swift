internal import Foundation
internal import MKMessages
internal import MKPostgres
internal import MKServiceRuntime

/// A `device` row as the registry lists it.
struct DeviceRecord: Sendable {
    /// The columns ``init(row:)`` decodes, in order, for `SELECT` lists.
    static let columns =
        "id, device_name, model, platform, app_version, default_name, custom_name, paired_at, last_used_at"

    var id: UUID
    var deviceName: String
    var model: String
    var platform: Int32
    var appVersion: String
    var defaultName: String
    var customName: String?
    var pairedAt: Date
    var lastUsedAt: Date?

    /// Decodes a row selected with ``columns``.
    init(row: PostgresRow) throws(PostgresError) {
        (id, deviceName, model, platform, appVersion, defaultName, customName, pairedAt, lastUsedAt) = try row.decode(
            (UUID, String, String, Int32, String, String, String?, Date, Date?).self)
    }

    /// The name the citizen sees.
    var displayName: String { customName ?? defaultName }

    /// The key as the contracts describe it.
    var message: Mk_Registry_V1_Device {
        var device = Mk_Registry_V1_Device()
        device.deviceId = id.lowercaseText
        device.displayName = displayName
        device.renamed = customName != nil
        device.deviceName = deviceName
        device.model = model
        device.platform = Mk_Registry_V1_Platform(rawValue: platform)
        device.appVersion = appVersion
        device.pairedAtUnixMicros = UnixMicros.from(pairedAt)
        device.lastUsedAtUnixMicros = UnixMicros.from(lastUsedAt)
        return device
    }
}
