import MKContracts
import MKMessages
import MKRPC
import Synchronization

/// A BOK service for the office API tests: it keeps one citizen's BOK state (starting with none)
/// and logs every credential call with what it was given.
final class ScriptedBok: Sendable {
    private let state = Mutex(Mk_Bok_V1_BokState.none)
    private let entries = Mutex<[String]>([])

    /// The calls so far, in order.
    var log: [String] { entries.withLock { $0 } }

    private func record(_ entry: String) { entries.withLock { $0.append(entry) } }

    /// Answers SetBok, UnblockBok, ClearBok and GetBokStatus on `fake`.
    func install(on fake: FakeBackend) {
        fake.on(Mk_Bok_V1_Bok.Method.setBok) { (request: Mk_Bok_V1_SetBokRequest) in
            let office = request.office ?? Mk_Bok_V1_Office()
            self.record("set \(office.officeId) \(office.officeName)|\(office.counterId)|\(request.subject) \(request.code)")
            let created = self.state.withLock { state in
                guard state == Mk_Bok_V1_BokState.none else { return false }
                state = .active
                return true
            }
            guard created else { throw RPCError(.alreadyExists, "the citizen already has a BOK", reason: "BOK_EXISTS") }
            return Mk_Bok_V1_SetBokResponse(state: .active)
        }
        fake.on(Mk_Bok_V1_Bok.Method.unblockBok) { (request: Mk_Bok_V1_UnblockBokRequest) in
            self.record("unblock \(request.office?.officeId ?? "") \(request.subject) \(request.newCode)")
            let had = self.state.withLock { state in
                guard state != Mk_Bok_V1_BokState.none else { return false }
                state = .active
                return true
            }
            guard had else { throw RPCError(.notFound, "no BOK") }
            return Mk_Bok_V1_UnblockBokResponse(state: .active)
        }
        fake.on(Mk_Bok_V1_Bok.Method.clearBok) { (request: Mk_Bok_V1_ClearBokRequest) in
            self.record("clear \(request.office?.officeId ?? "") \(request.subject)")
            self.state.withLock { $0 = Mk_Bok_V1_BokState.none }
            return Mk_Bok_V1_ClearBokResponse(state: Mk_Bok_V1_BokState.none)
        }
        fake.on(Mk_Bok_V1_Bok.Method.getBokStatus) { (request: Mk_Bok_V1_GetBokStatusRequest) in
            self.record("status \(request.subject)")
            let current = self.state.withLock { $0 }
            return Mk_Bok_V1_GetBokStatusResponse(state: current, attemptsLeft: current == .active ? 3 : 0)
        }
    }
}
