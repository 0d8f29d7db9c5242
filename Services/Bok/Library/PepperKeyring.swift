internal import Crypto
internal import Foundation

/// The server-side secrets (peppers) that key every stored BOK verifier, by key id. New
/// credentials use ``currentKeyID``; older ids stay so existing credentials still verify, and a
/// credential is re-keyed to the current id at its next successful verification. The secrets never
/// enter the database; only their ids do.
public struct PepperKeyring: Sendable {
    /// Fewest bytes of a pepper.
    public static let minimumSecretBytes = 32

    /// The id new credentials are keyed with.
    public let currentKeyID: String
    private let keys: [String: SymmetricKey]

    /// The ids known, current first.
    public var keyIDs: [String] { [currentKeyID] + keys.keys.filter { $0 != currentKeyID }.sorted() }

    /// Creates a keyring. Ids are 1 to 32 characters of `[A-Za-z0-9._-]`; every secret has at least
    /// ``minimumSecretBytes`` bytes; `current` must be one of the ids.
    public init(current: String, secrets: [String: [UInt8]]) throws(BokKeyError) {
        for (id, secret) in secrets {
            guard Self.isValidKeyID(id) else {
                throw BokKeyError("a pepper key id must be 1 to 32 characters of A-Z, a-z, 0-9, '.', '_' and '-'")
            }
            guard secret.count >= Self.minimumSecretBytes else {
                throw BokKeyError("pepper \(id) is shorter than \(Self.minimumSecretBytes) bytes")
            }
        }
        guard secrets[current] != nil else { throw BokKeyError("the current pepper key id \(current) has no secret") }
        currentKeyID = current
        keys = secrets.mapValues { SymmetricKey(data: $0) }
    }

    /// Parses `id:base64secret` entries separated by commas or line breaks (the form of
    /// `BOK_PEPPER` and of the file `BOK_PEPPER_FILE` names). `current` defaults to the first entry.
    public init(parsing text: String, current: String?) throws(BokKeyError) {
        var secrets: [String: [UInt8]] = [:]
        var first: String?
        for entry in text.split(whereSeparator: { $0 == "," || $0.isNewline }) {
            let trimmed = entry.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            let parts = trimmed.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let secret = Data(base64Encoded: String(parts[1])) else {
                throw BokKeyError("a pepper entry must be id:base64secret")
            }
            let id = String(parts[0])
            guard secrets[id] == nil else { throw BokKeyError("pepper key id \(id) appears twice") }
            secrets[id] = Array(secret)
            first = first ?? id
        }
        guard let chosen = current ?? first else { throw BokKeyError("no pepper is configured") }
        try self.init(current: chosen, secrets: secrets)
    }

    /// True when `id` names a pepper of this keyring.
    func contains(_ id: String) -> Bool { keys[id] != nil }

    /// HMAC-SHA256 of `message` under the pepper `id`; `nil` when the id is unknown.
    func mac(_ message: [UInt8], keyID id: String) -> [UInt8]? {
        guard let key = keys[id] else { return nil }
        return Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
    }

    private static func isValidKeyID(_ id: String) -> Bool {
        (1...32).contains(id.utf8.count)
            && id.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                    true
                default:
                    false
                }
            }
    }
}
