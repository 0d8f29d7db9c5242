internal import Hummingbird
internal import Logging
internal import MKRPC

/// The one place where failures become HTTP answers: RPC status codes to HTTP statuses, router
/// and body errors to their statuses, anything else to INTERNAL (the detail to the log only).
enum ErrorMapping {
    /// The gateway error for `error`.
    static func gatewayError(for error: any Error, logger: Logger) -> GatewayError {
        switch error {
        case let error as GatewayError:
            return error
        case let error as RPCError:
            return fromRPC(error, logger: logger)
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .notFound
            case .contentTooLarge: return .tooLarge
            case .unsupportedMediaType: return .unsupportedMediaType
            case .badRequest: return .badRequest("Neplatný požadavek.")
            default:
                return GatewayError(error.status, code: "HTTP_\(error.status.code)", message: "Neplatný požadavek.")
            }
        default:
            logger.error("Unexpected error", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return .internalError
        }
    }

    /// RPC status → HTTP status. NOT_FOUND always answers the same fixed body, so a foreign id is
    /// indistinguishable from an unknown one; INTERNAL and unknown codes never pass their message on.
    static func fromRPC(_ error: RPCError, logger: Logger) -> GatewayError {
        switch error.code {
        case .invalidArgument, .outOfRange:
            return GatewayError(.badRequest, code: "INVALID_ARGUMENT", message: error.message, reason: error.reason)
        case .notFound:
            return .notFound
        case .alreadyExists:
            return GatewayError(.conflict, code: "ALREADY_EXISTS", message: error.message, reason: error.reason)
        case .aborted:
            return GatewayError(.conflict, code: "ABORTED", message: error.message, reason: error.reason)
        case .failedPrecondition:
            return GatewayError(
                .conflict, code: "FAILED_PRECONDITION", message: error.message, reason: error.reason)
        case .permissionDenied:
            return GatewayError(.forbidden, code: "PERMISSION_DENIED", message: "Přístup odepřen.")
        case .unauthenticated:
            return .unauthenticated
        case .resourceExhausted:
            return GatewayError(
                .tooManyRequests, code: "RESOURCE_EXHAUSTED", message: error.message, reason: error.reason,
                headers: [.retryAfter: "30"])
        case .deadlineExceeded, .unavailable, .cancelled:
            logger.warning("A service did not answer", metadata: ["rpc-code": "\(error.code)"])
            return .unavailable
        case .unimplemented:
            return GatewayError(.notImplemented, code: "UNIMPLEMENTED", message: "Funkce není k dispozici.")
        default:
            logger.error("A service failed", metadata: ["rpc-code": "\(error.code)"])
            return .internalError
        }
    }
}
