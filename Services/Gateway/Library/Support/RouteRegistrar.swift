internal import HTTPTypes
internal import Hummingbird

/// Registers routes on the router and records them in the ``RouteTable`` (for 405 answers).
struct RouteRegistrar {
    /// A route handler.
    typealias Handler = @Sendable (Request, GatewayRequestContext) async throws -> Response

    let router: Router<GatewayRequestContext>
    let table: RouteTable

    /// Serves `method` on `path` (`{name}` segments are parameters).
    func on(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        table.add(path, method)
        router.on(RouterPath(path), method: method, use: handler)
    }

    func get(_ path: String, _ handler: @escaping Handler) { on(.get, path, handler) }
    func post(_ path: String, _ handler: @escaping Handler) { on(.post, path, handler) }
    func put(_ path: String, _ handler: @escaping Handler) { on(.put, path, handler) }
    func patch(_ path: String, _ handler: @escaping Handler) { on(.patch, path, handler) }
    func delete(_ path: String, _ handler: @escaping Handler) { on(.delete, path, handler) }
}
