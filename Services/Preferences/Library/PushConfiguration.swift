public import NIOSSL

/// Where and how key wake-ups are pushed: an APNs-style HTTP/2 provider over TLS that takes
/// `POST <url><push token>` with a bearer credential.
public struct PushConfiguration: Sendable {
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

    /// Creates a configuration.
    public init(
        url: String, credential: PushCredential, topic: String? = nil, timeout: Duration = .seconds(10),
        trustRoots: [NIOSSLCertificate]? = nil
    ) {
        self.url = url
        self.credential = credential
        self.topic = topic
        self.timeout = timeout
        self.trustRoots = trustRoots
    }
}
