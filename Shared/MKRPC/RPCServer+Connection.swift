import Logging
import NIOCore

extension RPCServer {
    /// Serves one connection until it closed and every call started on it returned. Never throws:
    /// whatever goes wrong on a connection (a protocol violation, a reset) closes that connection
    /// only. Cancelling the task closes the connection (its handlers are cancelled with it).
    func serve(_ connection: RPCServerConnection, id: Int) async {
        self.metrics.connectionOpened()
        defer {
            self.connections.remove(id)
            self.metrics.connectionClosed()
        }
        await withTaskCancellationHandler {
            // No frame is served before the transport authenticated the peer (the TLS handshake
            // completed and the certificate names a service); otherwise the connection closes.
            do {
                let peerIdentity = try await connection.peerIdentity.get()
                connection.state.activate(peerIdentity: peerIdentity)
            } catch {
                var logger = self.logger
                logger[metadataKey: "rpc-peer"] = "\(connection.peer)"
                logger.notice("Refused a connection: the peer was not authenticated", metadata: ["error": "\(error)"])
                connection.channel.close(promise: nil)
            }
            try? await connection.state.finished.get()
        } onCancel: {
            connection.channel.close(promise: nil)
        }
    }
}
