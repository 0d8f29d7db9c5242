import Foundation
import MKContracts
import MKMessages
import MKRPC

/// Scripted service answers shared by the router tests.
enum Fixtures {
    static let keyID = "11111111-2222-4333-8444-555555555555"
    static let foreignKeyID = "99999999-2222-4333-8444-555555555555"

    static func device(name: String = "Pixel 8 (Google Pixel 8)", id: String = keyID, lastUsed: Int64 = 0)
        -> Mk_Registry_V1_Device
    {
        var device = Mk_Registry_V1_Device()
        device.deviceId = id
        device.displayName = name
        device.deviceName = "Pixel 8"
        device.model = "Google Pixel 8"
        device.platform = .android
        device.appVersion = "3.2.1"
        device.pairedAtUnixMicros = 1_741_180_020_000_000  // 2025-03-05 13:07 UTC = 14:07 Prague
        device.lastUsedAtUnixMicros = lastUsed
        return device
    }

    /// The citizen owns `keyID` only; any other id is NOT_FOUND, as the registry answers.
    static func scriptRegistry(_ fake: FakeBackend, name: String = "Pixel 8 (Google Pixel 8)", lastMeans: Bool = false) {
        fake.on(Mk_Registry_V1_DeviceRegistry.Method.listDevices) { (_: Mk_Registry_V1_ListDevicesRequest) in
            Mk_Registry_V1_ListDevicesResponse(devices: [device(name: name)])
        }
        fake.on(Mk_Registry_V1_DeviceRegistry.Method.getDevice) { (request: Mk_Registry_V1_GetDeviceRequest) in
            guard request.deviceId == keyID else { throw RPCError(.notFound, "no such device") }
            return Mk_Registry_V1_GetDeviceResponse(device: device(name: name))
        }
        fake.on(Mk_Registry_V1_DeviceRegistry.Method.checkLastMeans) { (request: Mk_Registry_V1_CheckLastMeansRequest) in
            guard request.deviceId == keyID else { throw RPCError(.notFound, "no such device") }
            return Mk_Registry_V1_CheckLastMeansResponse(lastMeans: lastMeans)
        }
        fake.on(Mk_Registry_V1_DeviceRegistry.Method.renameDevice) { (request: Mk_Registry_V1_RenameDeviceRequest) in
            guard request.deviceId == keyID else { throw RPCError(.notFound, "no such device") }
            guard request.displayName.count <= 64 else { throw RPCError(.invalidArgument, "display_name too long") }
            return Mk_Registry_V1_RenameDeviceResponse(device: device(name: request.displayName))
        }
        fake.on(Mk_Registry_V1_DeviceRegistry.Method.unpairDevice) { (request: Mk_Registry_V1_UnpairDeviceRequest) in
            guard request.deviceId == keyID else { throw RPCError(.notFound, "no such device") }
            if lastMeans && !request.confirmLastMeans {
                throw RPCError(.failedPrecondition, "last means", reason: "LAST_MEANS")
            }
            return Mk_Registry_V1_UnpairDeviceResponse(unpaired: true, noMeansLeft: lastMeans)
        }
        fake.on(Mk_Registry_V1_DeviceRegistry.Method.startPairing) { (_: Mk_Registry_V1_StartPairingRequest) in
            Mk_Registry_V1_StartPairingResponse(
                pairingId: "22222222-2222-4333-8444-555555555555", activationCode: "ABCDEFGHJK",
                expiresAtUnixMicros: Int64(Date().timeIntervalSince1970 * 1_000_000) + 240_000_000)
        }
    }

    static func scriptBok(_ fake: FakeBackend, state: Mk_Bok_V1_BokState = Mk_Bok_V1_BokState.none) {
        fake.on(Mk_Bok_V1_Bok.Method.getBokStatus) { (_: Mk_Bok_V1_GetBokStatusRequest) in
            Mk_Bok_V1_GetBokStatusResponse(state: state, attemptsLeft: state == .active ? 3 : 0)
        }
    }

    static func scriptPreferences(_ fake: FakeBackend, version: UInt64 = 7) {
        fake.on(Mk_Preferences_V1_Preferences.Method.getSettings) { (_: Mk_Preferences_V1_GetSettingsRequest) in
            var settings = Mk_Preferences_V1_Settings()
            settings.version = version
            settings.contacts = [
                Mk_Preferences_V1_ContactSetting(channel: .email, present: true, address: "jana@example.cz", informative: true),
                Mk_Preferences_V1_ContactSetting(channel: .sms, present: false, address: "", informative: false),
            ]
            settings.devices = [
                Mk_Preferences_V1_DeviceSetting(
                    deviceId: keyID, informative: true, login: true, bokPad: true,
                    displayName: "Pixel 8 (Google Pixel 8)")
            ]
            return Mk_Preferences_V1_GetSettingsResponse(settings: settings)
        }
        fake.on(Mk_Preferences_V1_Preferences.Method.saveSettings) { (request: Mk_Preferences_V1_SaveSettingsRequest) in
            guard request.settings?.version == version else { throw RPCError(.aborted, "stale version") }
            var saved = request.settings ?? Mk_Preferences_V1_Settings()
            saved.version = version + 1
            return Mk_Preferences_V1_SaveSettingsResponse(settings: saved)
        }
    }
}
