internal import Crypto
internal import Foundation
internal import MKServiceRuntime

/// The bytes a mobile key signs for an API request (P-256 ECDSA SHA-256), checked by the Device
/// Registry: `"mk-request-v1\n" METHOD "\n" PATH?QUERY "\n" SIGNED_AT_MICROS "\n" hex(SHA-256(body))`.
/// The method, target, time and body are all covered, so a signature cannot be moved to another
/// request, and the registry refuses times more than 60 seconds off.
enum DeviceRequestSignature {
    /// The signed bytes for a request.
    static func payload(method: String, target: String, signedAtMicros: Int64, body: [UInt8]) -> [UInt8] {
        let digest = Hex.encode(SHA256.hash(data: body))
        return Array("mk-request-v1\n\(method)\n\(target)\n\(signedAtMicros)\n\(digest)".utf8)
    }
}
