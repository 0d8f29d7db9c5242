internal import Foundation
internal import MKMessages
internal import MKPostgres
internal import MKServiceRuntime

/// A `verification` row.
struct VerificationRecord: Sendable {
    /// The columns ``init(row:)`` decodes, in order, for `SELECT` and `RETURNING` lists.
    static let columns = """
        id, subject, office_id, office_name, counter_id, purpose, counter_code_key_id, counter_code_mac, state,
        started_at, expires_at, finished_at, device_id, attempts_left
        """

    var id: UUID
    var subject: String
    var officeID: String
    var officeName: String
    var counterID: String
    var purpose: String
    var counterCodeKeyID: String
    var counterCodeMAC: [UInt8]
    var status: VerificationStatus
    var startedAt: Date
    var expiresAt: Date
    var finishedAt: Date?
    var deviceID: UUID?
    var attemptsLeft: Int32?

    /// Decodes a row selected with ``columns``.
    init(row: PostgresRow) throws {
        let state: String
        (
            id, subject, officeID, officeName, counterID, purpose, counterCodeKeyID, counterCodeMAC, state, startedAt,
            expiresAt, finishedAt, deviceID, attemptsLeft
        ) = try row.decode(
            (
                UUID, String, String, String, String, String, String, [UInt8], String, Date, Date, Date?, UUID?,
                Int32?
            ).self)
        guard let status = VerificationStatus(rawValue: state) else {
            throw BokInternalError("unknown verification state in the database")
        }
        self.status = status
    }

    /// True while the request waits for an answer and has not expired at `now`.
    func isAnswerable(at now: Date) -> Bool { status == .pending && expiresAt > now }

    /// The request as its counter sees it; `currentAttemptsLeft` is used while it is open.
    func message(currentAttemptsLeft: Int) -> Mk_Bok_V1_Verification {
        var verification = Mk_Bok_V1_Verification()
        verification.requestId = id.lowercaseText
        verification.state = status.message
        verification.purpose = purpose
        verification.startedAtUnixMicros = UnixMicros.from(startedAt)
        verification.expiresAtUnixMicros = UnixMicros.from(expiresAt)
        verification.finishedAtUnixMicros = UnixMicros.from(finishedAt)
        verification.attemptsLeft = UInt32(max(0, attemptsLeft.map(Int.init) ?? currentAttemptsLeft))
        return verification
    }
}
