/// Serves an RPC that carries many items of a single call (`RecordUses` for `RecordUse`): each item
/// is answered as its own call would be answered, and the valid ones are processed together.
public enum BatchCall {
    /// The outcomes of `requests`, in order: INVALID_ARGUMENT naming `field` for the whole call when
    /// it holds no item or more than `maximum`; otherwise `check` turns each item into its work (an
    /// error refuses that item alone), `process` runs the checked items together and answers each,
    /// and `outcome` turns each item's answer or error into its outcome.
    public static func outcomes<Request, Work, Answer, Outcome>(
        of requests: [Request],
        field: String,
        maximum: Int,
        check: (Request) throws -> Work,
        process: ([Work]) async -> [Result<Answer, any Error>],
        outcome: (Result<Answer, any Error>) -> Outcome
    ) async throws -> [Outcome] {
        guard (1...maximum).contains(requests.count) else {
            throw RequestValidation.invalid(field, "must hold 1 to \(maximum) items")
        }
        var results = [Result<Answer, any Error>?](repeating: nil, count: requests.count)
        var checked: [(index: Int, work: Work)] = []
        for (index, request) in requests.enumerated() {
            do {
                checked.append((index, try check(request)))
            } catch {
                results[index] = .failure(error)
            }
        }
        let answers = await process(checked.map(\.work))
        for (position, entry) in checked.enumerated() {
            results[entry.index] =
                position < answers.count ? answers[position] : .failure(BatchQueueError.unanswered)
        }
        return results.map { outcome($0 ?? .failure(BatchQueueError.unanswered)) }
    }
}
