import Foundation
import MKServiceRuntime
import Preferences
import Testing

/// The push settings are validated at start: off by default, every mistake named; the credential
/// file is followed as it is rotated.
@Suite("Push settings")
struct PushSettingsTests {
    /// The least a `preferences` process needs, plus `extra`.
    static func environment(_ extra: [String: String]) -> EnvironmentSettings {
        EnvironmentSettings(
            ["DATABASE_URL": "postgresql://preferences@127.0.0.1:5432/postgres", "RPC_PLAINTEXT": "true"]
                .merging(extra) { $1 })
    }

    static func problem(_ extra: [String: String]) -> String? {
        do {
            _ = try PreferencesSettings(environment: environment(extra))
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// A credential file and a CA file in a fresh folder.
    static func files() async throws -> (credential: String, certificates: TestCertificates) {
        let certificates = try await TestCertificates.make()
        let credential = certificates.directory.appendingPathComponent("push-credential").path
        try "eyJhbGciOiJFUzI1NiJ9.credential-secret\n".write(toFile: credential, atomically: true, encoding: .utf8)
        return (credential, certificates)
    }

    @Test func pushIsOffByDefault() throws {
        let settings = try PreferencesSettings(environment: Self.environment([:]))
        #expect(settings.push == nil)
        #expect(settings.configuration.pushEnabled == false)
        let off = try PreferencesSettings(environment: Self.environment(["PUSH_ENABLED": "false", "PUSH_URL": "x"]))
        #expect(off.push == nil)
    }

    @Test func aCompletePushConfigurationIsRead() async throws {
        let (credential, certificates) = try await Self.files()
        let settings = try PreferencesSettings(
            environment: Self.environment([
                "PUSH_ENABLED": "true", "PUSH_URL": "https://push.example.cz/3/device/",
                "PUSH_CREDENTIAL_FILE": credential, "PUSH_TOPIC": "cz.gov.mobilniklic", "PUSH_TIMEOUT_MS": "5000",
                "PUSH_CA_FILE": certificates.ca.path,
            ]))
        let push = try #require(settings.push)
        #expect(settings.configuration.pushEnabled)
        #expect(push.url == "https://push.example.cz/3/device/")
        #expect(push.credential.current() == "eyJhbGciOiJFUzI1NiJ9.credential-secret")
        #expect(push.topic == "cz.gov.mobilniklic")
        #expect(push.timeout == .seconds(5))
        #expect(push.trustRoots?.count == 1)
        #expect(push.fcm == nil)

        let withFCM = try #require(
            try PreferencesSettings(
                environment: Self.environment([
                    "PUSH_ENABLED": "true", "PUSH_URL": "https://push.example.cz/3/device/",
                    "PUSH_CREDENTIAL_FILE": credential,
                    "PUSH_FCM_URL": "https://fcm.googleapis.com/v1/projects/mobilni-klic/messages:send",
                    "PUSH_FCM_CREDENTIAL_FILE": credential,
                ])
            ).push?.fcm)
        #expect(withFCM.url == "https://fcm.googleapis.com/v1/projects/mobilni-klic/messages:send")
        #expect(withFCM.credential.current() == "eyJhbGciOiJFUzI1NiJ9.credential-secret")
    }

    @Test func aBadPushConfigurationStopsTheStartWithTheVariableNamed() async throws {
        let (credential, certificates) = try await Self.files()
        let blank = certificates.directory.appendingPathComponent("blank").path
        try "  \n".write(toFile: blank, atomically: true, encoding: .utf8)
        let valid = ["PUSH_ENABLED": "true", "PUSH_URL": "https://push.example.cz/3/device/", "PUSH_CREDENTIAL_FILE": credential]
        let cases: [([String: String], String)] = [
            (["PUSH_ENABLED": "maybe"], "PUSH_ENABLED: must be true or false"),
            (["PUSH_URL": ""], "PUSH_URL: is required but not set"),
            (["PUSH_URL": "http://push.example.cz/3/device/"], "PUSH_URL: must be an https:// URL ending in /"),
            (["PUSH_URL": "https://push.example.cz/3/device"], "PUSH_URL: must be an https:// URL ending in /"),
            (["PUSH_CREDENTIAL_FILE": ""], "PUSH_CREDENTIAL_FILE: is required but not set"),
            (["PUSH_CREDENTIAL_FILE": "/nonexistent/credential"], "PUSH_CREDENTIAL_FILE: cannot be read"),
            (["PUSH_CREDENTIAL_FILE": blank], "PUSH_CREDENTIAL_FILE: must hold one bearer credential"),
            (["PUSH_TOPIC": "cz gov"], "PUSH_TOPIC: must be an app id"),
            (["PUSH_TIMEOUT_MS": "0"], "PUSH_TIMEOUT_MS: must be a whole number from 100 to 300000"),
            (["PUSH_CA_FILE": credential], "PUSH_CA_FILE: must be a readable file of PEM certificates"),
            (["PUSH_TIMEOUT_MS": "200000"], "DELIVERY_LEASE_MS: must be longer than the SMTP, SMS and push timeouts"),
            (["PUSH_FCM_CREDENTIAL_FILE": credential], "PUSH_FCM_URL: must be set with PUSH_FCM_CREDENTIAL_FILE"),
            (["PUSH_FCM_URL": "https://fcm.googleapis.com/v1/projects/p/messages:send"],
             "PUSH_FCM_CREDENTIAL_FILE: must be set with PUSH_FCM_URL"),
            (["PUSH_FCM_URL": "http://fcm.googleapis.com/v1/projects/p/messages:send", "PUSH_FCM_CREDENTIAL_FILE": credential],
             "PUSH_FCM_URL: must be FCM's https:// send URL"),
            (["PUSH_FCM_URL": "https://fcm.googleapis.com/v1/projects/p/messages:send", "PUSH_FCM_CREDENTIAL_FILE": blank],
             "PUSH_FCM_CREDENTIAL_FILE: must hold one bearer credential"),
        ]
        for (change, expected) in cases {
            let problem = Self.problem(valid.merging(change) { $1 })
            #expect(problem?.hasPrefix(expected) == true, "\(change): \(problem ?? "accepted")")
            #expect(problem?.contains("credential-secret") != true)
        }
    }

    @Test func aRotatedCredentialIsUsedAndABrokenFileKeepsTheLastValidOne() async throws {
        let (file, _) = try await Self.files()
        let credential = try #require(PushCredential(file: file, recheckInterval: .zero))
        #expect(credential.current() == "eyJhbGciOiJFUzI1NiJ9.credential-secret")
        try "eyJhbGciOiJFUzI1NiJ9.rotated\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(credential.current() == "eyJhbGciOiJFUzI1NiJ9.rotated")
        for broken in ["", "two words", "ž-not-ascii"] {
            try broken.write(toFile: file, atomically: true, encoding: .utf8)
            #expect(credential.current() == "eyJhbGciOiJFUzI1NiJ9.rotated", "\(broken)")
        }
        try FileManager.default.removeItem(atPath: file)
        #expect(credential.current() == "eyJhbGciOiJFUzI1NiJ9.rotated")
        try "eyJhbGciOiJFUzI1NiJ9.back\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(credential.current() == "eyJhbGciOiJFUzI1NiJ9.back")

        // Within the recheck interval the file is not read again.
        let slow = try #require(PushCredential(file: file, recheckInterval: .seconds(3600)))
        try "eyJhbGciOiJFUzI1NiJ9.later\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(slow.current() == "eyJhbGciOiJFUzI1NiJ9.back")
        #expect(PushCredential(file: file + ".missing") == nil)
    }

    @Test func theProcessRefusesToStartWithABadPushConfigurationAndSaysWhy() async throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("preferences")
        try #require(
            FileManager.default.isExecutableFile(atPath: executable.path),
            "the preferences executable is built next to the tests (swift build --build-tests)")
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve"]
        process.environment = [
            "DATABASE_URL": "postgresql://preferences@127.0.0.1:1/postgres", "RPC_PLAINTEXT": "true",
            "PUSH_ENABLED": "true", "PUSH_URL": "http://push.example.cz/",
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Polls for the exit (hang guard 30 s, far beyond a start that fails at once).
        for _ in 0..<600 where process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning { process.terminate() }
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus != 0)
        #expect(text.contains("PUSH_URL: must be an https:// URL ending in /"), "\(text)")
    }
}
