internal import Foundation
internal import MKServiceRuntime
internal import NIOSSL

extension PreferencesSettings {
    /// `PUSH_ENABLED` (default false) and, when it is true, `PUSH_URL`, `PUSH_CREDENTIAL_FILE`,
    /// `PUSH_TOPIC`, `PUSH_TIMEOUT_MS`, `PUSH_CA_FILE` and, for Android keys, `PUSH_FCM_URL` with
    /// `PUSH_FCM_CREDENTIAL_FILE`; `nil` when push is off. Every problem names its variable; no
    /// credential's value ever appears in a message. The credential files are read again while the
    /// service runs (see ``PushCredential``).
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
        let credential = try Self.credential(environment.string("PUSH_CREDENTIAL_FILE"), from: "PUSH_CREDENTIAL_FILE")
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
            trustRoots: trustRoots, fcm: try fcm(environment))
    }

    /// `PUSH_FCM_URL` and `PUSH_FCM_CREDENTIAL_FILE`, both or neither.
    private static func fcm(_ environment: EnvironmentSettings) throws -> PushConfiguration.FCM? {
        let url = try environment.optionalString("PUSH_FCM_URL")
        let credentialFile = try environment.optionalString("PUSH_FCM_CREDENTIAL_FILE")
        guard let url else {
            if credentialFile != nil {
                throw ConfigurationError(setting: "PUSH_FCM_URL", problem: "must be set with PUSH_FCM_CREDENTIAL_FILE")
            }
            return nil
        }
        guard url.hasPrefix("https://"), let parsed = URL(string: url), parsed.host != nil, parsed.query == nil,
            parsed.fragment == nil
        else {
            throw ConfigurationError(
                setting: "PUSH_FCM_URL",
                problem: "must be FCM's https:// send URL (…/v1/projects/<project>/messages:send)")
        }
        guard let credentialFile else {
            throw ConfigurationError(setting: "PUSH_FCM_CREDENTIAL_FILE", problem: "must be set with PUSH_FCM_URL")
        }
        return PushConfiguration.FCM(
            url: url, credential: try credential(credentialFile, from: "PUSH_FCM_CREDENTIAL_FILE"))
    }

    /// The bearer credential in `file`, named by the variable `setting` in every problem; the
    /// value itself never appears in a message.
    private static func credential(_ file: String, from setting: String) throws -> PushCredential {
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw ConfigurationError(setting: setting, problem: "cannot be read")
        }
        guard let credential = PushCredential(file: file) else {
            throw ConfigurationError(
                setting: setting,
                problem: "must hold one bearer credential: 1 to 8192 printable ASCII characters without spaces")
        }
        return credential
    }

    private static func isTopicCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII
            && (scalar.properties.isAlphabetic || (0x30...0x39).contains(scalar.value) || ".-_".unicodeScalars.contains(scalar))
    }
}
