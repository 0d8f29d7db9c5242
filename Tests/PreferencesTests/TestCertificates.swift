import Foundation

/// A development CA and a loopback server certificate (valid for 127.0.0.1 and localhost), made
/// by `scripts/lib/dev-ca.sh` with openssl into a fresh folder: what the TLS test peers present
/// and what the transports are told to trust.
struct TestCertificates {
    let directory: URL

    var ca: URL { directory.appendingPathComponent("ca.pem") }
    var certificate: URL { directory.appendingPathComponent("test-peer.pem") }
    var key: URL { directory.appendingPathComponent("test-peer.key") }

    /// Makes them in a new temporary folder.
    static func make() async throws -> TestCertificates {
        let directory = PeerProcess.temporaryDirectory().appendingPathComponent("tls")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/lib/dev-ca.sh")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["bash", script.path, directory.path, "test-peer"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Polls so no thread of the cooperative pool blocks; gives up only after 60 s.
        for _ in 0..<1200 where process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
        }
        guard !process.isRunning, process.terminationStatus == 0 else {
            if process.isRunning { process.terminate() }
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "dev-ca.sh failed"])
        }
        return TestCertificates(directory: directory)
    }
}
