import NIOSSL

/// The identity rule: a service is named by the one URI subject alternative name of its
/// certificate of the form `spiffe://<trust domain>/<name>` (SPIFFE ID), where `<name>` is the
/// service's kebab-case name (`spiffe://mk/gateway` → `gateway`). DNS names and the common name
/// never count, so a certificate's host names (checked by the client) and its identity (checked by
/// the server) cannot be confused. A certificate with none, or with more than one, such URI names
/// no identity and its connection is refused.
enum RPCCertificateIdentity {
    /// The longest service name accepted.
    static let maximumNameLength = 63

    /// The identity `certificate` names in `trustDomain`, or `nil`.
    static func identity(of certificate: NIOSSLCertificate, trustDomain: String) -> String? {
        let prefix = "spiffe://\(trustDomain)/"
        var found: [String] = []
        // NIOSSL's own hostname verification reads SANs through this (underscored) accessor too;
        // it is the only one swift-nio-ssl offers.
        for name in certificate._subjectAlternativeNames() where name.nameType == .uri {
            let uri = String(decoding: Array(name.contents), as: UTF8.self)
            guard uri.hasPrefix(prefix) else { continue }
            found.append(String(uri.dropFirst(prefix.count)))
        }
        guard found.count == 1, let name = found.first, isValidName(name) else { return nil }
        return name
    }

    /// True for a kebab-case name: lowercase letters, digits and inner hyphens, 1 to 63 characters.
    static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= maximumNameLength, bytes.first != UInt8(ascii: "-"),
            bytes.last != UInt8(ascii: "-")
        else { return false }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-")
        }
    }

    /// True for a trust domain: lowercase letters, digits, hyphens and dots, 1 to 253 characters.
    static func isValidTrustDomain(_ domain: String) -> Bool {
        let bytes = Array(domain.utf8)
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
    }
}
