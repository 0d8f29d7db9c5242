/// The one JSON error shape: `{"error": {"code", "message", "reason"?, "correlationId"}}`.
struct ErrorBody: Encodable {
    /// The error itself.
    struct Detail: Encodable {
        var code: String
        var message: String
        var reason: String?
        var correlationId: String
    }

    var error: Detail
}
