/// Which face of the gateway a path belongs to; decides whether errors are JSON or HTML.
enum GatewayArea {
    /// Paths whose answers are JSON.
    static let jsonPrefixes = ["/api/", "/app/", "/counter/v1/", "/office/v1/", "/authority/", "/idp/"]

    /// True when `path` is served as JSON.
    static func isJSON(_ path: String) -> Bool {
        jsonPrefixes.contains { path.hasPrefix($0) } || path == "/api" || path == "/app"
    }
}
