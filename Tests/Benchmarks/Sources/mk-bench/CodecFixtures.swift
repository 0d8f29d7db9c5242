import BenchProtos
import MKMessages

/// The messages the codec row encodes and decodes, built once in both flavours with the same
/// field values, so both libraries produce the same bytes (checked before measuring).
enum CodecFixtures {
    static let deviceIDs = [
        "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "6fa459ea-ee8a-4ca4-894e-db77e160355e",
        "16fd2706-8baf-433b-82eb-8c7fada847da", "886313e1-3b8a-4372-9b90-0c9aee199e5d",
        "c2b9a3a4-7d1e-4f4b-8d3a-1e2f3a4b5c6d", "0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f",
        "9f8e7d6c-5b4a-4938-a716-151413121110", "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
        "11111111-2222-4333-8444-555555555555", "deadbeef-0000-4000-8000-00000000cafe",
    ]

    /// A key as ListDevices returns it (about 200 bytes packed).
    static func ourDevice(_ index: Int = 0) -> MKMessages.Mk_Registry_V1_Device {
        MKMessages.Mk_Registry_V1_Device(
            deviceId: deviceIDs[index % deviceIDs.count],
            displayName: "Telefon Jana Nováka \(index) (Samsung Galaxy S24 Ultra)",
            renamed: index % 2 == 0,
            deviceName: "Telefon Jana Nováka \(index)",
            model: "Samsung Galaxy S24 Ultra (SM-S928B/DS)",
            platform: index % 3 == 0 ? .ios : .android,
            appVersion: "3.2.\(index)",
            pairedAtUnixMicros: 1_735_689_600_000_000 + Int64(index) * 86_400_000_000,
            lastUsedAtUnixMicros: 1_764_547_200_000_000 + Int64(index) * 3_600_000_000
        )
    }

    static func theirDevice(_ index: Int = 0) -> BenchProtos.Mk_Registry_V1_Device {
        var device = BenchProtos.Mk_Registry_V1_Device()
        device.deviceID = deviceIDs[index % deviceIDs.count]
        device.displayName = "Telefon Jana Nováka \(index) (Samsung Galaxy S24 Ultra)"
        device.renamed = index % 2 == 0
        device.deviceName = "Telefon Jana Nováka \(index)"
        device.model = "Samsung Galaxy S24 Ultra (SM-S928B/DS)"
        device.platform = index % 3 == 0 ? .ios : .android
        device.appVersion = "3.2.\(index)"
        device.pairedAtUnixMicros = 1_735_689_600_000_000 + Int64(index) * 86_400_000_000
        device.lastUsedAtUnixMicros = 1_764_547_200_000_000 + Int64(index) * 3_600_000_000
        return device
    }

    /// A ListDevices response of 10 keys.
    static func ourList() -> MKMessages.Mk_Registry_V1_ListDevicesResponse {
        var response = MKMessages.Mk_Registry_V1_ListDevicesResponse()
        response.devices = (0..<10).map(ourDevice)
        return response
    }

    static func theirList() -> BenchProtos.Mk_Registry_V1_ListDevicesResponse {
        var response = BenchProtos.Mk_Registry_V1_ListDevicesResponse()
        response.devices = (0..<10).map(theirDevice)
        return response
    }

    /// The notification settings grid: e-mail and SMS rows, three keys with their names.
    static func ourSettings() -> MKMessages.Mk_Preferences_V1_Settings {
        var settings = MKMessages.Mk_Preferences_V1_Settings()
        var email = MKMessages.Mk_Preferences_V1_ContactSetting()
        email.channel = .email
        email.present = true
        email.address = "jan.novak@example.cz"
        email.informative = true
        var sms = MKMessages.Mk_Preferences_V1_ContactSetting()
        sms.channel = .sms
        sms.present = true
        sms.address = "+420601123456"
        sms.informative = false
        settings.contacts = [email, sms]
        settings.devices = (0..<3).map { index in
            var device = MKMessages.Mk_Preferences_V1_DeviceSetting()
            device.deviceId = deviceIDs[index]
            device.informative = true
            device.login = index != 1
            device.bokPad = index == 0
            device.displayName = "Telefon Jana Nováka \(index) (Samsung Galaxy S24 Ultra)"
            return device
        }
        settings.version = 42
        return settings
    }

    static func theirSettings() -> BenchProtos.Mk_Preferences_V1_Settings {
        var settings = BenchProtos.Mk_Preferences_V1_Settings()
        var email = BenchProtos.Mk_Preferences_V1_ContactSetting()
        email.channel = .email
        email.present = true
        email.address = "jan.novak@example.cz"
        email.informative = true
        var sms = BenchProtos.Mk_Preferences_V1_ContactSetting()
        sms.channel = .sms
        sms.present = true
        sms.address = "+420601123456"
        sms.informative = false
        settings.contacts = [email, sms]
        settings.devices = (0..<3).map { index in
            var device = BenchProtos.Mk_Preferences_V1_DeviceSetting()
            device.deviceID = deviceIDs[index]
            device.informative = true
            device.login = index != 1
            device.bokPad = index == 0
            device.displayName = "Telefon Jana Nováka \(index) (Samsung Galaxy S24 Ultra)"
            return device
        }
        settings.version = 42
        return settings
    }
}
