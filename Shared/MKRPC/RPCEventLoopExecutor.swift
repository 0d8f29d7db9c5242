public import NIOCore

/// Runs a task's jobs on one event loop: a server connection's handlers run where their frames
/// arrived and where their answers are written, with no hop to the cooperative pool and back.
///
/// A task that makes many calls can run on one too (`Task(executorPreference:)`, on a loop of the
/// client's `EventLoopGroup`): ``RPCClient`` then sends its calls on that loop's connection, and
/// their answers resume it on the loop that read them.
///
/// A task awaiting other work (the database's thread pool, another service) still suspends and
/// frees the loop; only its synchronous stretches run on it, as a channel handler's would, so they
/// must not block.
public final class RPCEventLoopExecutor: TaskExecutor {
    /// The loop every job runs on.
    public let eventLoop: any EventLoop

    /// An executor running jobs on `eventLoop`.
    public init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Runs `job` on the loop.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
