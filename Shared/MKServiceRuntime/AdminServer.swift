public import Hummingbird
public import Logging
public import Prometheus
internal import NIOCore

/// The admin HTTP port every process serves: `/healthz` (the process runs), `/readyz` (it can do
/// its work: the readiness check passes) and `/metrics` (Prometheus text format).
///
/// Kept apart from the RPC port so probes and scrapes never compete with calls for its limits.
public enum AdminServer {
    /// Builds the admin application; run it inside the process's `ServiceGroup`.
    ///
    /// - Parameters:
    ///   - address: where to listen.
    ///   - metrics: the registry whose metrics `/metrics` exposes.
    ///   - readiness: answers whether the process is ready; must be quick (it has 2 s).
    public static func makeApplication(
        address: HostAndPort,
        metrics: PrometheusCollectorRegistry,
        logger: Logger,
        readiness: @escaping @Sendable () async -> Bool
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("healthz") { _, _ in "ok\n" }
        router.get("readyz") { _, _ -> Response in
            let ready = await withTaskGroup(of: Bool.self) { group in
                group.addTask { await readiness() }
                group.addTask {
                    try? await Task.sleep(for: .seconds(2))
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            return Response(
                status: ready ? .ok : .serviceUnavailable,
                body: ResponseBody(byteBuffer: ByteBuffer(string: ready ? "ready\n" : "not ready\n")))
        }
        router.get("metrics") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: nil),
            logger: logger
        )
    }
}
