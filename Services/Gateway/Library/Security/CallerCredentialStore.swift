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

    /// Each caller under "kind/id", with the SHA-256 of its secret as bytes.
    private let callers: [String: (caller: CallerCredential, secretDigest: [UInt8])]

    /// Parses the file's contents; `nil` text means no callers.
    init(json: String?) throws {
        guard let json else {
            self.callers = [:]
            return
        }
        let file = try JSONDecoder().decode(File.self, from: Data(json.utf8))
        var callers: [String: (caller: CallerCredential, secretDigest: [UInt8])] = [:]
        for caller in file.callers {
            guard (1...64).contains(caller.id.count), caller.secretSha256.count == 64,
                caller.secretSha256.allSatisfy(\.isHexDigit), let digest = Hex.decode(caller.secretSha256)
            else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: [], debugDescription: "caller \(caller.id): bad id or secretSha256"))
            }
            callers["\(caller.kind.rawValue)/\(caller.id)"] = (caller, digest)
        }
        self.callers = callers
    }

    /// The caller of `kind` whose Basic credentials `authorization` carries, or `nil`.
    ///
    /// Every request of the identity provider's hook and the authority API passes here, so it works
    /// on the header's bytes; the secret's digest is compared in constant time, also for an unknown id.
    func authenticate(authorization: String?, kind: CallerCredential.Kind) -> CallerCredential? {
        guard let authorization, authorization.utf8.count <= 1024 else { return nil }
        let header = Substring(authorization).utf8
        guard HeaderBytes.equalsIgnoringCase(header.prefix(6), "basic "),
            let decoded = Data(base64Encoded: Data(HeaderBytes.trimmed(header.dropFirst(6)))),
            let colon = decoded.firstIndex(of: UInt8(ascii: ":")),
            let id = String(bytes: decoded[..<colon], encoding: .utf8)
        else { return nil }
        let presented = Array(SHA256.hash(data: decoded[decoded.index(after: colon)...]))
        guard let known = callers["\(kind.rawValue)/\(id)"] else {
            _ = Base64URL.constantTimeEqual(presented, presented)
            return nil
        }
        return Base64URL.constantTimeEqual(presented, known.secretDigest) ? known.caller : nil
    }
}
