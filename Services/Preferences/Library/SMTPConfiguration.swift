/// Where and how e-mail is sent.
public struct SMTPConfiguration: Sendable {
    /// `smtp://host:port` (STARTTLS when ``requireTLS``) or `smtps://host:port` (implicit TLS).
    public var url: String
    /// Require TLS: STARTTLS on `smtp://` (`SMTP_STARTTLS`, default true). Off only on loopback.
    public var requireTLS: Bool
    /// Login name (`SMTP_USER`); `nil` sends without authentication.
    public var username: String?
    /// Password (`SMTP_PASSWORD`); never logged.
    public var password: String?
    /// The envelope and header sender (`SMTP_FROM`).
    public var from: String
    /// Limit for one message, connection included.
    public var timeout: Duration
    /// PEM file of the certificate authorities the server's certificate must chain to
    /// (`SMTP_CA_FILE`); `nil` trusts the system's.
    public var caFile: String?

    /// Creates a configuration.
    public init(
        url: String, requireTLS: Bool = true, username: String? = nil, password: String? = nil, from: String,
        timeout: Duration = .seconds(30), caFile: String? = nil
    ) {
        self.url = url
        self.requireTLS = requireTLS
        self.username = username
        self.password = password
        self.from = from
        self.timeout = timeout
        self.caFile = caFile
    }
}
