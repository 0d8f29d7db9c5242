import Foundation

@testable import MKRPC

/// Certificates made with openssl for the TLS tests, once per test process, in a temporary folder:
/// a CA with service certificates, and a second CA that nobody trusts.
struct TestCertificates: Sendable {
    /// A certificate and key on disk.
    struct Issued: Sendable {
        let certificateFile: String
        let keyFile: String
    }

    /// The folder everything is in.
    let directory: String
    /// The CA every test server and client trusts.
    let caFile: String
    /// `spiffe://mk/gateway`, no host names: a client.
    let gateway: Issued
    /// `spiffe://mk/bok`: a client not allowed most methods.
    let bok: Issued
    /// `spiffe://mk/device-registry` for the host name `device-registry` only (no IP address).
    let registry: Issued
    /// `spiffe://mk/preferences` for the host name `preferences` only.
    let preferences: Issued
    /// From the trusted CA but with no URI SAN: names no identity.
    let anonymous: Issued
    /// `spiffe://mk/gateway` from the CA nobody trusts.
    let intruder: Issued

    /// The certificates of this test process.
    static var shared: TestCertificates {
        get throws { try sharedResult.get() }
    }

    private static let sharedResult = Result { try TestCertificates.make() }

    /// A mutual-TLS configuration with `issued` and the trusted CA.
    func configuration(_ issued: Issued, serverHostname: String? = nil) throws -> RPCTLSConfiguration {
        try RPCTLSConfiguration(
            certificateChainFile: issued.certificateFile,
            privateKeyFile: issued.keyFile,
            trustRootsFile: self.caFile,
            serverHostname: serverHostname
        )
    }

    private static func make() throws -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mk-rpc-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let ca = try makeCA(named: "ca", in: directory)
        let other = try makeCA(named: "other-ca", in: directory)
        func issue(_ name: String, by ca: String, sans: String?) throws -> Issued {
            try issueCertificate(name, in: directory, ca: ca, subjectAltName: sans)
        }
        return TestCertificates(
            directory: directory,
            caFile: "\(directory)/\(ca).pem",
            gateway: try issue("gateway", by: ca, sans: "URI:spiffe://mk/gateway"),
            bok: try issue("bok", by: ca, sans: "URI:spiffe://mk/bok"),
            registry: try issue("device-registry", by: ca, sans: "URI:spiffe://mk/device-registry,DNS:device-registry"),
            preferences: try issue("preferences", by: ca, sans: "URI:spiffe://mk/preferences,DNS:preferences"),
            anonymous: try issue("anonymous", by: ca, sans: "DNS:anonymous"),
            intruder: try issue("intruder", by: other, sans: "URI:spiffe://mk/gateway,DNS:device-registry")
        )
    }

    private static func makeCA(named name: String, in directory: String) throws -> String {
        try openssl(
            "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "\(directory)/\(name).key", "-out", "\(directory)/\(name).pem", "-days", "2",
            "-subj", "/CN=\(name)",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign"
        )
        return name
    }

    private static func issueCertificate(
        _ name: String,
        in directory: String,
        ca: String,
        subjectAltName: String?
    ) throws -> Issued {
        let base = "\(directory)/\(name)"
        var extensions = """
            basicConstraints=critical,CA:FALSE
            keyUsage=critical,digitalSignature
            extendedKeyUsage=serverAuth,clientAuth

            """
        if let subjectAltName {
            extensions += "subjectAltName=\(subjectAltName)\n"
        }
        try extensions.write(toFile: "\(base).ext", atomically: true, encoding: .utf8)
        try openssl(
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "\(base).key", "-out", "\(base).csr", "-subj", "/CN=\(name)"
        )
        try openssl(
            "x509", "-req", "-in", "\(base).csr", "-CA", "\(directory)/\(ca).pem", "-CAkey", "\(directory)/\(ca).key",
            "-set_serial", "\(Int.random(in: 1...Int(Int32.max)))", "-days", "2", "-extfile", "\(base).ext",
            "-out", "\(base).pem"
        )
        return Issued(certificateFile: "\(base).pem", keyFile: "\(base).key")
    }

    /// Runs `openssl` with `arguments`; throws with what it printed when it fails.
    static func openssl(_ arguments: String...) throws {
        try run("/usr/bin/env", ["openssl"] + arguments)
    }

    /// Runs a program to completion; throws with its output when it exits non-zero.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment {
            process.environment = environment
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailed(
                command: ([executable] + arguments).joined(separator: " "),
                output: String(decoding: printed, as: UTF8.self)
            )
        }
    }

    /// A command the certificates need failed.
    struct CommandFailed: Error, CustomStringConvertible {
        let command: String
        let output: String
        var description: String { "\(command) failed: \(output)" }
    }
}
