import NIOCore
import Synchronization

/// One client connection as callers use it: its channel, and a queue of commands for its
/// ``RPCClientHandler``. Commands sent from any thread close together reach the handler in one hop
/// to the event loop, in the order they were sent, and the requests among them leave with one
/// flush.
final class RPCClientConnection: Sendable {
    private struct Queue {
        var commands: [RPCClientHandler.Command] = []
        var drainScheduled = false
    }

    /// The connection's channel.
    let channel: any Channel
    private let handler: NIOLoopBound<RPCClientHandler>
    private let queue = Mutex(Queue())

    /// Must be created on the channel's event loop.
    init(channel: any Channel, handler: RPCClientHandler) {
        self.channel = channel
        self.handler = NIOLoopBound(handler, eventLoop: channel.eventLoop)
    }

    /// Hands `command` to the handler. A call sent after the connection closed fails UNAVAILABLE,
    /// its request never sent.
    func send(_ command: RPCClientHandler.Command) {
        let scheduleDrain = self.queue.withLock { queue in
            queue.commands.append(command)
            defer { queue.drainScheduled = true }
            return !queue.drainScheduled
        }
        guard scheduleDrain else { return }
        let handler = self.handler
        self.channel.eventLoop.execute {
            handler.value.run(self.takeCommands())
        }
    }

    private func takeCommands() -> [RPCClientHandler.Command] {
        self.queue.withLock { queue in
            queue.drainScheduled = false
            var taken: [RPCClientHandler.Command] = []
            swap(&taken, &queue.commands)
            return taken
        }
    }
}
