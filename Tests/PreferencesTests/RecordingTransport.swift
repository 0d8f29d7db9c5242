import Preferences
import Synchronization

/// A transport that answers with scripted outcomes (then `.sent`) and keeps every message.
final class RecordingTransport: DeliveryTransport {
    private let state: Mutex<(script: [TransportOutcome], messages: [OutgoingMessage])>

    init(_ script: [TransportOutcome] = []) {
        state = Mutex((script, []))
    }

    func send(_ message: OutgoingMessage) async -> TransportOutcome {
        state.withLock { state in
            state.messages.append(message)
            return state.script.isEmpty ? .sent : state.script.removeFirst()
        }
    }

    var messages: [OutgoingMessage] { state.withLock { $0.messages } }
}
