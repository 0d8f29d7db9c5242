/// The handlers a server (or in-process caller) dispatches to, keyed by fully qualified method
/// name; never by position, so adding a method to a contract cannot shift another.
struct RPCMethodRegistry: Sendable {
    private let handlers: [String: RPCMethodHandler]
    /// The fully qualified names of the services registered.
    let serviceNames: Set<String>

    /// Collects the handlers of `services`. Two handlers for one method are a programming error.
    init(services: [any RPCService]) {
        var handlers: [String: RPCMethodHandler] = [:]
        var serviceNames: Set<String> = []
        for service in services {
            for handler in service.methodHandlers {
                let name = handler.descriptor.fullName
                precondition(handlers[name] == nil, "Two handlers registered for \(name)")
                handlers[name] = handler
                serviceNames.insert(handler.descriptor.service)
            }
        }
        self.handlers = handlers
        self.serviceNames = serviceNames
    }

    /// The handler of the method named `fullName`, if registered.
    func handler(for fullName: String) -> RPCMethodHandler? {
        self.handlers[fullName]
    }

    /// Every registered method's full name.
    var methodNames: [String] {
        Array(self.handlers.keys)
    }
}
