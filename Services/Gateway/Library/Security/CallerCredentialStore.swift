internal import Crypto
internal import Foundation
internal import MKServiceRuntime

/// Checks HTTP Basic credentials (`id:secret`) of offices, authorities and the identity provider
/// against the hashed secrets of `CALLER_CREDENTIALS_FILE`:
/// `{"callers": [{"kind": "office", "id": "...", "name": "...", "secretSha256": "<hex>"}]}`.
struct CallerCredentialStore: Sendable {
    private struct File: Decodable {
        var callers: [CallerCredential]
    }

    private let callers: [String: CallerCredential]

    /// Parses the file's contents; `nil` text means no callers.
    init(json: String?) throws {
        guard let json else {
            self.callers = [:]
            return
        }
        let file = try JSONDecoder().decode(File.self, from: Data(json.utf8))
        var callers: [String: CallerCredential] = [:]
        for caller in file.callers {
            guard (1...64).contains(caller.id.count), caller.secretSha256.count == 64,
                caller.secretSha256.allSatisfy(\.isHexDigit)
            else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: [], debugDescription: "caller \(caller.id): bad id or secretSha256"))
            }
            callers["\(caller.kind.rawValue)/\(caller.id)"] = caller
        }
        self.callers = callers
    }

    /// The caller of `kind` whose Basic credentials `authorization` carries, or `nil`.
    func authenticate(authorization: String?, kind: CallerCredential.Kind) -> CallerCredential? {
        guard let authorization, authorization.utf8.count <= 1024,
            authorization.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(authorization.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8),
            let colon = text.firstIndex(of: ":")
        else { return nil }
        let id = String(text[..<colon])
        let secret = String(text[text.index(after: colon)...])
        let presented = Hex.encode(SHA256.hash(data: Data(secret.utf8)))
        guard let caller = callers["\(kind.rawValue)/\(id)"] else {
            _ = Base64URL.constantTimeEqual(presented, presented)
            return nil
        }
        return Base64URL.constantTimeEqual(presented, caller.secretSha256.lowercased()) ? caller : nil
    }
}
