internal import MKMessages

/// A verification request's state as the `verification.state` column stores it.
enum VerificationStatus: String, Sendable {
    case pending
    /// An answer claimed the request and its failure is counted; the BOK is being checked.
    case answering
    case verified
    case wrongBok = "wrong_bok"
    case blocked
    case wrongCounterCode = "wrong_counter_code"
    case expired
    case cancelled

    /// The state in the contracts (an answer being checked is still PENDING to the counter).
    var message: Mk_Bok_V1_VerificationState {
        switch self {
        case .pending, .answering: .pending
        case .verified: .verified
        case .wrongBok: .wrongBok
        case .blocked: .blocked
        case .wrongCounterCode: .wrongCounterCode
        case .expired: .expired
        case .cancelled: .cancelled
        }
    }

    /// The event result of a finished state; `nil` for open states.
    var result: Mk_Events_V1_BokResult? {
        switch self {
        case .pending, .answering: nil
        case .verified: .verified
        case .wrongBok: .wrongBok
        case .blocked: .blocked
        case .wrongCounterCode: .wrongCounterCode
        case .expired: .expired
        case .cancelled: .cancelled
        }
    }
}
