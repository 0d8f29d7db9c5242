internal import Crypto
internal import Foundation

/// The bytes a key signs for a mobile-app API request (see the gateway's README):
/// `"mk-request-v1\n" METHOD "\n" TARGET "\n" SIGNED_AT_MICROS "\n" hex(SHA-256(body))`.
enum RequestSigning {
    static func payload(method: String, target: String, signedAtMicros: Int64, body: [UInt8]) -> Data {
        let digest = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        return Data("mk-request-v1\n\(method)\n\(target)\n\(signedAtMicros)\n\(digest)".utf8)
    }
}
