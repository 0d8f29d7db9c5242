internal import MKRPC
internal import MKServiceRuntime

/// A field failed validation: INVALID_ARGUMENT with a message naming the field.
struct RPCFieldError: Error, RPCErrorConvertible {
    /// The field, in the request's snake_case path (`contacts.email`).
    let field: String
    /// What is wrong with it.
    let problem: String

    init(_ field: String, _ problem: String) {
        self.field = field
        self.problem = problem
    }

    var rpcError: RPCError { RequestValidation.invalid(field, problem) }
}
