internal import MKContracts
internal import MKMessages
internal import MKRPC
internal import MKServiceRuntime

/// The identity provider's sign-ins on their way to the registry (`RecordUses`) and Preferences
/// (`NotifyLogins`): concurrent hook requests are gathered into one call per service and batch (at
/// most 100 sign-ins, one call in flight per service, as the services' own queues run one batch at
/// a time), so both sides pay the RPC work once a batch instead of once a sign-in. Each sign-in gets
/// the answer its own call would have had.
///
/// A batch's call waits until the latest deadline of the requests in it, so no request's call is cut
/// short by another's; its trace id is its own (the lane's), not one request's.
struct SignInBatches: Sendable {
    /// A sign-in with the deadline of the request that reported it.
    private struct Pending<Request: Sendable>: Sendable {
        var request: Request
        var deadline: ContinuousClock.Instant?
    }

    private let uses: BatchQueue<Pending<Mk_Registry_V1_RecordUseRequest>, Bool>
    private let logins: BatchQueue<Pending<Mk_Preferences_V1_NotifyLoginRequest>, UInt32>

    /// Batches over `backends`' registry and Preferences.
    init(backends: GatewayBackends) {
        uses = BatchQueue(batchLimit: 100, lanes: 1) { batch in
            await Self.answers(for: batch) {
                try await backends.registry.recordUses(Mk_Registry_V1_RecordUsesRequest(uses: $0)).outcomes.map {
                    Self.answer($0.recorded, code: $0.statusCode, message: $0.statusMessage, reason: $0.statusReason)
                }
            }
        }
        logins = BatchQueue(batchLimit: 100, lanes: 1) { batch in
            await Self.answers(for: batch) {
                try await backends.preferences.notifyLogins(Mk_Preferences_V1_NotifyLoginsRequest(logins: $0))
                    .outcomes.map {
                        Self.answer(
                            $0.devices, code: $0.statusCode, message: $0.statusMessage, reason: $0.statusReason)
                    }
            }
        }
    }

    /// Records `use` as `RecordUse` would; answers whether it was new.
    func recordUse(_ use: Mk_Registry_V1_RecordUseRequest) async throws -> Bool {
        try await uses.submit(Pending(request: use, deadline: RPCTaskContext.deadline))
    }

    /// Notifies `login` as `NotifyLogin` would; answers how many keys its notice goes to.
    func notifyLogin(_ login: Mk_Preferences_V1_NotifyLoginRequest) async throws -> UInt32 {
        try await logins.submit(Pending(request: login, deadline: RPCTaskContext.deadline))
    }

    /// Runs `call` for the batch's requests under the batch's deadline and pairs its answers with
    /// them; a failed call, or one answering another number of outcomes, fails every sign-in.
    private static func answers<Request: Sendable, Answer: Sendable>(
        for batch: [Pending<Request>], _ call: @Sendable ([Request]) async throws -> [Result<Answer, any Error>]
    ) async -> [Result<Answer, any Error>] {
        let deadline = batch.compactMap(\.deadline).max()
        do {
            let answers = try await RPCTaskContext.$traceID.withValue(nil) {
                try await RPCTaskContext.$deadline.withValue(deadline) { try await call(batch.map(\.request)) }
            }
            guard answers.count == batch.count else {
                throw RPCError(.internal, "a batch of \(batch.count) sign-ins was answered \(answers.count) times")
            }
            return answers
        } catch {
            return batch.map { _ in .failure(error) }
        }
    }

    /// One outcome as the answer or the error its own call would have had.
    private static func answer<Answer>(
        _ answer: Answer, code: UInt32, message: String, reason: String
    ) -> Result<Answer, any Error> {
        code == RPCStatusCode.ok.rawValue
            ? .success(answer) : .failure(RPCError(RPCStatusCode(rawValue: code), message, reason: reason))
    }
}
