import NIOCore

/// Runs a task's jobs on one event loop: a server connection's handlers run where their frames
/// arrived and where their answers are written, with no hop to the cooperative pool and back.
///
/// A handler awaiting other work (the database's thread pool, another service) still suspends and
/// frees the loop; only its synchronous stretches run on it, as a channel handler's would.
final class RPCEventLoopExecutor: TaskExecutor {
    /// The loop every job runs on.
    let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
