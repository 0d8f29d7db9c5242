internal import Foundation
internal import MKServiceRuntime
internal import NIOSSL

extension PreferencesSettings {
    /// `PUSH_ENABLED` (default false) and, when it is true, `PUSH_URL`, `PUSH_CREDENTIAL_FILE`,
    /// `PUSH_TOPIC`, `PUSH_TIMEOUT_MS` and `PUSH_CA_FILE`; `nil` when push is off. Every problem
    /// names its variable; the credential's value never appears in a message. The credential file
    /// is read again while the service runs (see ``PushCredential``).
    static func push(_ environment: EnvironmentSettings) throws -> PushConfiguration? {
        guard try environment.boolean("PUSH_ENABLED", default: false) else { return nil }
        let url = try environment.string("PUSH_URL")
        guard url.hasPrefix("https://"), url.hasSuffix("/"), let parsed = URL(string: url), parsed.host != nil,
            parsed.query == nil, parsed.fragment == nil
        else {
            throw ConfigurationError(
                setting: "PUSH_URL",
                problem: "must be an https:// URL ending in / (HTTP/2 over TLS; the push token is appended)")
        }
        let credentialFile = try environment.string("PUSH_CREDENTIAL_FILE")
        guard FileManager.default.isReadableFile(atPath: credentialFile) else {
            throw ConfigurationError(setting: "PUSH_CREDENTIAL_FILE", problem: "cannot be read")
        }
        guard let credential = PushCredential(file: credentialFile) else {
            throw ConfigurationError(
                setting: "PUSH_CREDENTIAL_FILE",
                problem: "must hold one bearer credential: 1 to 8192 printable ASCII characters without spaces")
        }
        let topic = try environment.optionalString("PUSH_TOPIC")
        if let topic, topic.utf8.count > 255 || !topic.unicodeScalars.allSatisfy(Self.isTopicCharacter) {
            throw ConfigurationError(setting: "PUSH_TOPIC", problem: "must be an app id such as cz.gov.mobilniklic")
        }
        var trustRoots: [NIOSSLCertificate]?
        if let caFile = try environment.optionalString("PUSH_CA_FILE") {
            guard let certificates = try? NIOSSLCertificate.fromPEMFile(caFile), !certificates.isEmpty else {
                throw ConfigurationError(setting: "PUSH_CA_FILE", problem: "must be a readable file of PEM certificates")
            }
            trustRoots = certificates
        }
        return PushConfiguration(
            url: url, credential: credential, topic: topic,
            timeout: try environment.milliseconds("PUSH_TIMEOUT_MS", default: .seconds(10), in: 100...300_000),
            trustRoots: trustRoots)
    }

    private static func isTopicCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII
            && (scalar.properties.isAlphabetic || (0x30...0x39).contains(scalar.value) || ".-_".unicodeScalars.contains(scalar))
    }
}
