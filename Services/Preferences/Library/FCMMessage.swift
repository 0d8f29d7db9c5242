/// The body of an FCM HTTP v1 `messages:send` request for a wake-up: a data-only message (no
/// notification shown; the app reads its inbox) of normal priority, carrying only the wake-up's id.
struct FCMMessage: Encodable {
    /// The message.
    struct Message: Encodable {
        /// The key's push token (FCM registration token).
        var token: String
        /// Android delivery options.
        var android: Android
        /// The data the app receives: `wakeup_id` only.
        var data: [String: String]
    }

    /// `AndroidConfig`.
    struct Android: Encodable {
        /// `NORMAL`: a silent wake-up may wait for the device's next maintenance window.
        var priority: String
    }

    var message: Message
}
