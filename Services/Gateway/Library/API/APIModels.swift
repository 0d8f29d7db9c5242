/// The JSON shapes of the gateway's APIs (described by ``OpenAPIDocument``). Times are ISO 8601
/// instants in UTC, binary values standard base64, enums UPPER_SNAKE names.
enum APIModels {
    struct Session: Codable {
        var subject: String
        var name: String
        var csrfToken: String
        var authenticatedAt: String
        var recentSignIn: Bool
    }

    struct Key: Codable {
        var id: String
        var displayName: String
        var renamed: Bool
        var deviceName: String
        var model: String
        var platform: String
        var appVersion: String
        var pairedAt: String?
        var lastUsedAt: String?
    }

    struct BokStatus: Codable {
        var state: String
        var attemptsLeft: Int
    }

    struct KeyList: Codable {
        var keys: [Key]
        var bok: BokStatus
    }

    struct Rename: Codable {
        var displayName: String
    }

    struct Unpaired: Codable {
        var unpaired: Bool
        var noMeansLeft: Bool
    }

    struct LastMeans: Codable {
        var lastMeans: Bool
    }

    struct Pairing: Codable {
        var pairingId: String
        var activationCode: String
        var expiresAt: String?
        var qrSvg: String
    }

    struct PairingStatus: Codable {
        var state: String
        var expiresAt: String?
        var deviceId: String?
    }

    struct ContactSetting: Codable {
        var channel: String
        var present: Bool?
        var address: String?
        var informative: Bool
    }

    struct DeviceSetting: Codable {
        var deviceId: String
        var displayName: String?
        var informative: Bool
        var login: Bool
        var bokPad: Bool
    }

    struct Settings: Codable {
        var version: UInt64
        var contacts: [ContactSetting]
        var devices: [DeviceSetting]
        var bok: BokStatus?
    }

    struct Contacts: Codable {
        var email: String
        var phone: String
    }

    struct HistoryEntry: Codable {
        var at: String?
        var kind: String
        var event: String
        var detail: String
    }

    struct History: Codable {
        var entries: [HistoryEntry]
    }

    struct Redeem: Codable {
        var activationCode: String
        var deviceName: String
        var model: String
        var platform: String
        var appVersion: String
        var publicKey: String
        var pushToken: String?
    }

    struct RedeemedKey: Codable {
        var deviceId: String
        var displayName: String
    }

    struct InboxMessage: Codable {
        var messageId: String
        var kind: String
        var title: String
        var body: String
        var createdAt: String?
        var concernsDeviceId: String?
        var sender: String?
    }

    struct Inbox: Codable {
        var messages: [InboxMessage]
    }

    struct Ack: Codable {
        var messageIds: [String]
    }

    struct Acknowledged: Codable {
        var acknowledged: Int
    }

    struct NotMe: Codable {
        var concernsDeviceId: String
        var messageId: String?
    }

    struct NotMeDone: Codable {
        var unpaired: Bool
    }

    /// A key's push token; an empty token removes it.
    struct PushToken: Codable {
        var pushToken: String
    }

    /// Whether the key now has a push token (false after removing it).
    struct PushTokenRegistered: Codable {
        var registered: Bool
    }

    struct HpkeKey: Codable {
        var keyId: String
        var publicKey: String
    }

    struct Prompt: Codable {
        var requestId: String
        var officeName: String
        var purpose: String
        var expiresAt: String?
        var attemptsLeft: Int
    }

    struct Prompts: Codable {
        var prompts: [Prompt]
    }

    struct EncryptedBok: Codable {
        var keyId: String
        var encapsulatedKey: String
        var ciphertext: String
    }

    struct Answer: Codable {
        var counterCode: String
        var encryptedBok: EncryptedBok
        var signedAtUnixMicros: Int64
        var signature: String
    }

    struct AnswerOutcome: Codable {
        var state: String
        var attemptsLeft: Int
    }

    struct StartVerification: Codable {
        var counterId: String
        var subject: String
        var purpose: String
    }

    struct StartedVerification: Codable {
        var requestId: String
        var counterCode: String
        var expiresAt: String?
    }

    struct Verification: Codable {
        var requestId: String
        var state: String
        var purpose: String
        var startedAt: String?
        var expiresAt: String?
        var finishedAt: String?
        var attemptsLeft: Int
    }

    struct SetBok: Codable {
        var subject: String
        var code: String
    }

    struct UnblockBok: Codable {
        var subject: String
        var newCode: String
    }

    struct BokChanged: Codable {
        var state: String
    }

    struct SendNotification: Codable {
        var subject: String
        var title: String
        var body: String
    }

    struct ChannelStatus: Codable {
        var channel: String
        var state: String
    }

    struct NotificationAccepted: Codable {
        var notificationId: String
        var channels: [ChannelStatus]
    }

    struct NotificationStatus: Codable {
        var channels: [ChannelStatus]
    }

    struct Login: Codable {
        var subject: String
        var means: String
        var deviceId: String?
        var atUnixMicros: Int64?
        var origin: String?
        var eventId: String?
    }

    struct LoginRecorded: Codable {
        var recorded: Bool
        var notifiedDevices: Int
    }
}
