public import HTTPTypes

/// A failure the gateway answers with: an HTTP status, a stable machine code, a message safe to
/// show (Czech) and an optional reason. Every error path ends in one of these (see
/// ``ErrorMapping``), rendered as the one JSON error shape or as an HTML error page.
public struct GatewayError: Error, Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// Machine code in UPPER_SNAKE case (`NOT_FOUND`, `CSRF_TOKEN_INVALID`, ...).
    public var code: String
    /// A message for people, in Czech; never contains secrets.
    public var message: String
    /// A finer machine reason (`LAST_MEANS`, `STALE_SETTINGS`) or empty.
    public var reason: String
    /// Extra headers (`Allow`, `WWW-Authenticate`, `Retry-After`).
    public var headers: HTTPFields

    /// Creates an error.
    public init(
        _ status: HTTPResponse.Status, code: String, message: String, reason: String = "",
        headers: HTTPFields = HTTPFields()
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.reason = reason
        self.headers = headers
    }

    /// The answer for an unknown id and for another citizen's id alike.
    public static let notFound = GatewayError(.notFound, code: "NOT_FOUND", message: "Požadovaný záznam neexistuje.")
    /// A service did not answer in time or at all.
    public static let unavailable = GatewayError(
        .serviceUnavailable, code: "SERVICE_UNAVAILABLE",
        message: "Služba je dočasně nedostupná. Zkuste to prosím za chvíli znovu.")
    /// No valid session, device signature or credentials.
    public static let unauthenticated = GatewayError(
        .unauthorized, code: "UNAUTHENTICATED", message: "Přihlaste se prosím.")
    /// A form or state-changing API call without the right CSRF token.
    public static let csrf = GatewayError(
        .forbidden, code: "CSRF_TOKEN_INVALID",
        message: "Formulář vypršel nebo nepochází z tohoto portálu. Načtěte stránku znovu a opakujte akci.")
    /// Pairing or unpairing with a sign-in that is not recent.
    public static let reauthenticate = GatewayError(
        .unauthorized, code: "UNAUTHENTICATED",
        message: "Z bezpečnostních důvodů se prosím přihlaste znovu.", reason: "REAUTHENTICATION_REQUIRED")
    /// A request body above the limit.
    public static let tooLarge = GatewayError(
        .contentTooLarge, code: "PAYLOAD_TOO_LARGE", message: "Požadavek je příliš velký.")
    /// A body of the wrong type.
    public static let unsupportedMediaType = GatewayError(
        .unsupportedMediaType, code: "UNSUPPORTED_MEDIA_TYPE", message: "Nepodporovaný typ obsahu požadavku.")
    /// A body that does not parse or lacks fields.
    public static func badRequest(_ message: String, reason: String = "") -> GatewayError {
        GatewayError(.badRequest, code: "INVALID_ARGUMENT", message: message, reason: reason)
    }
    /// Too many requests from one client.
    public static let rateLimited = GatewayError(
        .tooManyRequests, code: "RATE_LIMITED", message: "Příliš mnoho pokusů. Zkuste to prosím později.",
        headers: [.retryAfter: "60"])
    /// Anything unexpected; the detail is only in the log.
    public static let internalError = GatewayError(
        .internalServerError, code: "INTERNAL", message: "Došlo k neočekávané chybě.")
}
