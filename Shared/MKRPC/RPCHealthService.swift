import MKMessages
import Synchronization

/// The built-in `mk.rpc.v1.Health/Check`: answers the server's serving status for the empty service
/// name or any registered service, NOT_FOUND for a service the server does not have. Never touches
/// a database.
struct RPCHealthService: RPCService {
    /// `mk.rpc.v1.Health/Check`.
    static let check = RPCMethodDescriptor(service: "mk.rpc.v1.Health", method: "Check", isIdempotent: true)

    /// The status answered; shared with the server, which sets it.
    final class Status: Sendable {
        private let value: Mutex<RPCServingStatus>

        init(_ initial: RPCServingStatus) {
            self.value = Mutex(initial)
        }

        var current: RPCServingStatus {
            get { self.value.withLock { $0 } }
            set { self.value.withLock { $0 = newValue } }
        }
    }

    let status: Status
    let serviceNames: Set<String>

    var methodHandlers: [RPCMethodHandler] {
        let status = self.status
        let serviceNames = self.serviceNames
        return [
            RPCMethodHandler(descriptor: Self.check) {
                (request: Mk_Rpc_V1_HealthCheckRequest, _: RPCContext) -> Mk_Rpc_V1_HealthCheckResponse in
                guard request.service.isEmpty || serviceNames.contains(request.service) else {
                    throw RPCError(.notFound, "This server has no service \(request.service.prefix(200))")
                }
                var response = Mk_Rpc_V1_HealthCheckResponse()
                response.status = status.current == .serving ? .serving : .notServing
                return response
            }
        ]
    }
}
