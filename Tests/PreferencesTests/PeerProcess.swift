import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A Python test peer (SMTP server, SMS provider) run as a subprocess on loopback. It writes its
/// port to `directory/port` once it listens, and what it received as files in `directory`.
final class PeerProcess: @unchecked Sendable {
    let directory: URL
    private let process: Process

    /// The folder holding the peer scripts (`Tests/Support/preferences`).
    static let scripts = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Support/preferences")

    /// Starts `script` with `arguments` after the directory, and waits until it listens.
    init(script: String, directory: URL, arguments: [String] = []) async throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: directory.appendingPathComponent("port"))
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.scripts.appendingPathComponent(script).path, directory.path] + arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Polls for readiness (not a timed assertion): gives up only after 20 s.
        for _ in 0..<400 {
            if port != nil { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        await stop()
        throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "\(script) did not start"])
    }

    /// The port it listens on.
    var port: Int? {
        (try? String(contentsOf: directory.appendingPathComponent("port"), encoding: .utf8)).flatMap { Int($0) }
    }

    /// Kills it and waits until it exited, polling so no thread of the cooperative pool blocks.
    /// SIGKILL, because a child can inherit a blocked SIGTERM from the test process.
    func stop() async {
        kill()
        for _ in 0..<400 where process.isRunning {
            try? await Task.sleep(for: .milliseconds(25))
        }
    }

    private func kill() {
        guard process.isRunning else { return }
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
    }

    /// The files it recorded with `suffix`, in name order.
    func recorded(suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(suffix) }.sorted()
            .map { try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8) }
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("mk-prefs-\(UUID().uuidString)")
    }

    deinit { kill() }
}
