public import NIOSSL

/// Where and how key wake-ups are pushed: an APNs-style HTTP/2 provider over TLS that takes
/// `POST <url><push token>` with a bearer credential and, when ``fcm`` is set, Firebase Cloud
/// Messaging's HTTP v1 API for the keys paired on Android.
public struct PushConfiguration: Sendable {
    /// FCM's HTTP v1 endpoint and its credential.
    public struct FCM: Sendable {
        /// The project's send URL (`PUSH_FCM_URL`), such as
        /// `https://fcm.googleapis.com/v1/projects/<project>/messages:send`.
        public var url: String
        /// The OAuth 2.0 access token (the contents of `PUSH_FCM_CREDENTIAL_FILE`, followed as a
        /// token refresher rewrites it); never logged.
        public var credential: PushCredential

        /// Creates an FCM destination.
        public init(url: String, credential: PushCredential) {
            self.url = url
            self.credential = credential
        }
    }

    /// The provider's base URL (`PUSH_URL`), `https://…/` ending in `/`; the key's push token is
    /// appended as the last path segment.
    public var url: String
    /// The bearer credential (the contents of `PUSH_CREDENTIAL_FILE`, followed as it changes);
    /// never logged.
    public var credential: PushCredential
    /// `apns-topic` (`PUSH_TOPIC`, the app's bundle id); `nil` sends none.
    public var topic: String?
    /// Limit for one request, connection included (`PUSH_TIMEOUT_MS`).
    public var timeout: Duration
    /// The certificate authorities trusted instead of the system's (`PUSH_CA_FILE`); `nil` for
    /// the system's.
    public var trustRoots: [NIOSSLCertificate]?
    /// Where the wake-ups of Android keys go; `nil` sends them APNs-style to ``url`` like the rest.
    public var fcm: FCM?

    /// Creates a configuration.
    public init(
        url: String, credential: PushCredential, topic: String? = nil, timeout: Duration = .seconds(10),
        trustRoots: [NIOSSLCertificate]? = nil, fcm: FCM? = nil
    ) {
        self.url = url
        self.credential = credential
        self.topic = topic
        self.timeout = timeout
        self.trustRoots = trustRoots
        self.fcm = fcm
    }
}
