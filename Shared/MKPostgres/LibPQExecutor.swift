import NIOPosix

/// The threads libpq runs on: one per pooled connection for the blocking calls, and one more for
/// cancel requests, so a cancel never queues behind the statement it is meant to stop.
///
/// libpq blocks its thread for the whole round trip, so it must never run on an event loop or on
/// Swift's cooperative pool, where it would starve unrelated work.
final class LibPQExecutor: Sendable {
    private let threads: NIOThreadPool
    private let cancelThreads: NIOThreadPool

    init(threadCount: Int) {
        threads = NIOThreadPool(numberOfThreads: threadCount)
        cancelThreads = NIOThreadPool(numberOfThreads: 1)
        threads.start()
        cancelThreads.start()
    }

    /// Runs `body` on a libpq thread. When this returns or throws, `body` has either finished or
    /// never started — it is never still running — so the caller may hand the connection on.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await threads.runIfActive(body)
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            throw PostgresError(.clientClosed, reason: "the client has been shut down")
        }
    }

    /// Runs `body` on the cancel thread, without waiting.
    func submitCancel(_ body: @escaping @Sendable () -> Void) {
        cancelThreads.submit { _ in body() }
    }

    /// Closes a connection on a libpq thread (`PQfinish` may write to the socket), without waiting.
    /// After shutdown the close runs on the calling thread instead, so it is never skipped.
    func close(_ connection: UnsafeTransfer<Connection>) {
        threads.submit { _ in connection.value.close() }
    }

    /// Finishes queued work (closes included) and stops the threads.
    func shutdown() async {
        try? await threads.shutdownGracefully()
        try? await cancelThreads.shutdownGracefully()
    }

    /// Stops the threads without waiting, for a client dropped without ``shutdown()``.
    func abandon() {
        threads.shutdownGracefully { _ in }
        cancelThreads.shutdownGracefully { _ in }
    }
}
