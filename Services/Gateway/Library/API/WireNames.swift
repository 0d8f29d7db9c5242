internal import MKMessages

/// Proto values as the JSON APIs name them, and back.
enum WireNames {
    static func platform(_ value: Mk_Registry_V1_Platform) -> String {
        switch value {
        case .android: "ANDROID"
        case .ios: "IOS"
        default: "UNSPECIFIED"
        }
    }

    static func platform(_ text: String) -> Mk_Registry_V1_Platform {
        switch text {
        case "ANDROID": .android
        case "IOS": .ios
        default: .unspecified
        }
    }

    static func bokState(_ value: Mk_Bok_V1_BokState) -> String {
        switch value {
        case Mk_Bok_V1_BokState.none: "NONE"
        case .active: "ACTIVE"
        case .blocked: "BLOCKED"
        default: "UNSPECIFIED"
        }
    }

    static func pairingState(_ value: Mk_Registry_V1_PairingState) -> String {
        switch value {
        case .pending: "PENDING"
        case .completed: "COMPLETED"
        case .expired: "EXPIRED"
        default: "UNSPECIFIED"
        }
    }

    static func channel(_ value: Mk_Preferences_V1_ChannelKind) -> String {
        switch value {
        case .email: "EMAIL"
        case .sms: "SMS"
        case .device: "DEVICE"
        default: "UNSPECIFIED"
        }
    }

    static func channel(_ text: String) -> Mk_Preferences_V1_ChannelKind {
        switch text {
        case "EMAIL": .email
        case "SMS": .sms
        case "DEVICE": .device
        default: .unspecified
        }
    }

    static func delivery(_ value: Mk_Preferences_V1_DeliveryState) -> String {
        switch value {
        case .pending: "PENDING"
        case .sent: "SENT"
        case .failed: "FAILED"
        case .read: "READ"
        default: "UNSPECIFIED"
        }
    }

    static func inboxKind(_ value: Mk_Preferences_V1_InboxKind) -> String {
        switch value {
        case .informative: "INFORMATIVE"
        case .login: "LOGIN"
        case .security: "SECURITY"
        case .bok: "BOK"
        default: "UNSPECIFIED"
        }
    }

    static func verificationState(_ value: Mk_Bok_V1_VerificationState) -> String {
        switch value {
        case .pending: "PENDING"
        case .verified: "VERIFIED"
        case .wrongBok: "WRONG_BOK"
        case .blocked: "BLOCKED"
        case .wrongCounterCode: "WRONG_COUNTER_CODE"
        case .expired: "EXPIRED"
        case .cancelled: "CANCELLED"
        default: "UNSPECIFIED"
        }
    }

    static func means(_ text: String) -> Mk_Registry_V1_MeansKind {
        switch text {
        case "MOBILE_KEY": .mobileKey
        case "EOP": .eop
        case "BANK_IDENTITY": .bankIdentity
        case "NIA_ID": .niaId
        case "OTHER": .other
        default: .unspecified
        }
    }

    static func key(_ device: Mk_Registry_V1_Device) -> APIModels.Key {
        APIModels.Key(
            id: device.deviceId, displayName: device.displayName, renamed: device.renamed,
            deviceName: device.deviceName, model: device.model, platform: platform(device.platform),
            appVersion: device.appVersion, pairedAt: CzechTime.iso8601(micros: device.pairedAtUnixMicros),
            lastUsedAt: CzechTime.iso8601(micros: device.lastUsedAtUnixMicros))
    }

    static func bok(_ status: Mk_Bok_V1_GetBokStatusResponse) -> APIModels.BokStatus {
        APIModels.BokStatus(state: bokState(status.state), attemptsLeft: Int(status.attemptsLeft))
    }

    static func verification(_ value: Mk_Bok_V1_Verification) -> APIModels.Verification {
        APIModels.Verification(
            requestId: value.requestId, state: verificationState(value.state), purpose: value.purpose,
            startedAt: CzechTime.iso8601(micros: value.startedAtUnixMicros),
            expiresAt: CzechTime.iso8601(micros: value.expiresAtUnixMicros),
            finishedAt: CzechTime.iso8601(micros: value.finishedAtUnixMicros), attemptsLeft: Int(value.attemptsLeft))
    }

    static func channels(_ list: [Mk_Preferences_V1_ChannelStatus]) -> [APIModels.ChannelStatus] {
        list.map { APIModels.ChannelStatus(channel: channel($0.channel), state: delivery($0.state)) }
    }
}
