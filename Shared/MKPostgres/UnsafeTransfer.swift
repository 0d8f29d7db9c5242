/// Carries a non-`Sendable` value across an isolation boundary where the code around it guarantees
/// that only one thread touches the value at a time.
///
/// It is used for exactly two hand-overs: a `Connection` travelling between the pool, the scope that
/// borrowed it and the libpq thread that runs one blocking call on it. The caller awaits that call, so
/// the connection is never reachable from two threads at once.
struct UnsafeTransfer<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}
