/// One libcurl transfer: what to send where, with which limits.
struct CurlRequest: Sendable {
    /// Whether the connection must be upgraded with STARTTLS (SMTP) / be TLS.
    enum TLS: Sendable {
        /// Plain text (loopback and tests only).
        case none
        /// Required: STARTTLS on `smtp://`, implicit on `smtps://`/`https://`.
        case required
    }

    /// `smtp://host:port`, `smtps://…` or `https://…`.
    var url: String
    /// SMTP envelope sender; `nil` for HTTP.
    var mailFrom: String?
    /// SMTP envelope recipients; empty for HTTP.
    var recipients: [String] = []
    /// HTTP request headers (`Name: value`).
    var headers: [String] = []
    /// The bytes uploaded: the SMTP message, or the HTTP POST body.
    var body: [UInt8]
    /// True for an HTTP POST, false for an SMTP upload.
    var isHTTPPost: Bool
    /// Login name; `nil` for none.
    var username: String?
    /// Password; never logged.
    var password: String?
    /// TLS requirement.
    var tls: TLS = .none
    /// PEM file of the certificate authorities trusted instead of the system's; `nil` for the system's.
    var caFile: String?
    /// Limit for the whole transfer.
    var timeout: Duration
    /// Limit for connecting.
    var connectTimeout: Duration
}
