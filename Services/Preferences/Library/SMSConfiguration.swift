/// Where and how SMS are sent: an HTTP provider API that takes a JSON POST with a bearer token.
public struct SMSConfiguration: Sendable {
    /// The provider's endpoint (`SMS_API_URL`), `https://…` (or `http://` on loopback).
    public var url: String
    /// The bearer token (`SMS_API_TOKEN`); never logged.
    public var token: String
    /// Limit for one request, connection included.
    public var timeout: Duration

    /// Creates a configuration.
    public init(url: String, token: String, timeout: Duration = .seconds(15)) {
        self.url = url
        self.token = token
        self.timeout = timeout
    }
}
