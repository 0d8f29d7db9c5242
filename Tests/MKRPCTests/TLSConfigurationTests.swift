import Foundation
import MKMessages
import MKServiceRuntime
import Testing

@testable import MKRPC

@Suite("TLS configuration, policy and environment")
struct TLSConfigurationTests {
    @Test func identityComesFromTheSpiffeURI() throws {
        let certificates = try TestCertificates.shared
        #expect(try certificates.configuration(certificates.gateway).identity == "gateway")
        #expect(try certificates.configuration(certificates.registry).identity == "device-registry")
    }

    @Test func unusableFilesAreNamed() throws {
        let certificates = try TestCertificates.shared
        func failure(_ body: () throws -> RPCTLSConfiguration) -> RPCTLSConfigurationError? {
            do {
                _ = try body()
                Issue.record("Expected the configuration to fail")
                return nil
            } catch let error as RPCTLSConfigurationError {
                return error
            } catch {
                Issue.record("Unexpected \(error)")
                return nil
            }
        }
        let missing = failure {
            try RPCTLSConfiguration(
                certificateChainFile: "/nonexistent/cert.pem", privateKeyFile: certificates.gateway.keyFile,
                trustRootsFile: certificates.caFile)
        }
        #expect(missing?.code == .certificateChain)
        #expect(missing?.file == "/nonexistent/cert.pem")

        let noIdentity = failure { try certificates.configuration(certificates.anonymous) }
        #expect(noIdentity?.code == .certificateChain)

        let mismatched = failure {
            try RPCTLSConfiguration(
                certificateChainFile: certificates.gateway.certificateFile, privateKeyFile: certificates.bok.keyFile,
                trustRootsFile: certificates.caFile)
        }
        #expect(mismatched?.code == .privateKey)

        let keyAsCA = failure {
            try RPCTLSConfiguration(
                certificateChainFile: certificates.gateway.certificateFile,
                privateKeyFile: certificates.gateway.keyFile,
                trustRootsFile: certificates.gateway.keyFile)
        }
        #expect(keyAsCA?.code == .trustRoots)
        // The message names the file, never what is in it.
        let key = try String(contentsOfFile: certificates.gateway.keyFile, encoding: .utf8)
        let body = key.split(separator: "\n").dropFirst().first.map(String.init) ?? "-"
        #expect(!(keyAsCA?.description.contains(body) ?? true))
    }

    @Test func policyAllowsByMethodAndByService() {
        var policy = RPCAuthorizationPolicy()
        #expect(!policy.allows("gateway", toCall: "mk.registry.v1.DeviceRegistry/ListDevices"))
        policy.allow(
            ["gateway"],
            toCall: RPCMethodDescriptor(
                service: "mk.registry.v1.DeviceRegistry", method: "ListDevices", isIdempotent: true))
        policy.allow(["bok", "gateway"], toCallEveryMethodOf: "mk.preferences.v1.Preferences")
        #expect(policy.allows("gateway", toCall: "mk.registry.v1.DeviceRegistry/ListDevices"))
        #expect(!policy.allows("bok", toCall: "mk.registry.v1.DeviceRegistry/ListDevices"))
        #expect(!policy.allows("gateway", toCall: "mk.registry.v1.DeviceRegistry/UnpairDevice"))
        #expect(policy.allows("bok", toCall: "mk.preferences.v1.Preferences/ListBokPadDevices"))
        #expect(!policy.allows("bok", toCall: "mk.preferences.v1.PreferencesX/ListBokPadDevices"))
        #expect(!policy.allows("bok", toCall: "mk.preferences.v1.Preferences"))
        #expect(policy.callers(allowedToCall: "mk.preferences.v1.Preferences/GetSettings") == ["bok", "gateway"])
    }

    @Test func environmentGivesMutualTLS() throws {
        let certificates = try TestCertificates.shared
        let environment = EnvironmentSettings([
            "RPC_TLS_CERT_FILE": certificates.bok.certificateFile,
            "RPC_TLS_KEY_FILE": certificates.bok.keyFile,
            "RPC_TLS_CA_FILE": certificates.caFile,
        ])
        guard
            case .mutualTLS(let tls) = try environment.rpcTransportSecurity(
                listenAddress: HostAndPort(host: "0.0.0.0", port: 7301))
        else {
            Issue.record("Expected mutual TLS")
            return
        }
        #expect(tls.identity == "bok")
    }

    @Test func environmentNamesTheSettingAtFault() throws {
        let certificates = try TestCertificates.shared
        func setting(_ values: [String: String], listen: String? = nil) -> String? {
            do {
                _ = try EnvironmentSettings(values).rpcTransportSecurity(
                    listenAddress: listen.flatMap { HostAndPort(parsing: $0) })
                Issue.record("Expected a configuration error for \(values)")
                return nil
            } catch let error as ConfigurationError {
                return error.setting
            } catch {
                Issue.record("Unexpected \(error)")
                return nil
            }
        }
        // Nothing set: TLS is required, plaintext is never the silent default.
        #expect(setting([:]) == "RPC_TLS_CERT_FILE")
        #expect(setting(["RPC_PLAINTEXT": "false"]) == "RPC_TLS_CERT_FILE")
        #expect(
            setting(["RPC_TLS_CERT_FILE": certificates.gateway.certificateFile, "RPC_TLS_CA_FILE": certificates.caFile])
                == "RPC_TLS_KEY_FILE")
        #expect(
            setting([
                "RPC_TLS_CERT_FILE": certificates.gateway.certificateFile, "RPC_TLS_KEY_FILE": certificates.bok.keyFile,
                "RPC_TLS_CA_FILE": certificates.caFile,
            ]) == "RPC_TLS_KEY_FILE")
        #expect(
            setting([
                "RPC_TLS_CERT_FILE": certificates.gateway.certificateFile,
                "RPC_TLS_KEY_FILE": certificates.gateway.keyFile,
                "RPC_TLS_CA_FILE": "/nonexistent/ca.pem",
            ]) == "RPC_TLS_CA_FILE")
        #expect(setting(["RPC_PLAINTEXT": "maybe"]) == "RPC_PLAINTEXT")
        #expect(setting(["RPC_PLAINTEXT": "true", "RPC_TLS_CA_FILE": certificates.caFile]) == "RPC_PLAINTEXT")
        #expect(setting(["RPC_PLAINTEXT": "true"], listen: "0.0.0.0:7101") == "RPC_PLAINTEXT")
    }

    @Test func environmentAcceptsExplicitPlaintextOnLoopback() throws {
        let security = try EnvironmentSettings(["RPC_PLAINTEXT": "true"])
            .rpcTransportSecurity(listenAddress: HostAndPort(host: "127.0.0.1", port: 7101))
        guard case .plaintext = security else {
            Issue.record("Expected plaintext")
            return
        }
    }

    @Test func devCAScriptMakesCertificatesTheServicesAccept() async throws {
        let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("scripts/lib/dev-ca.sh").path
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mk-dev-ca-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try TestCertificates.run("/bin/bash", [script, directory.path])
        let before = try Data(contentsOf: directory.appendingPathComponent("gateway.pem"))
        // Kept between runs.
        try TestCertificates.run("/bin/bash", [script, directory.path])
        #expect(try Data(contentsOf: directory.appendingPathComponent("gateway.pem")) == before)

        func tls(_ service: String) throws -> RPCTLSConfiguration {
            try RPCTLSConfiguration(
                certificateChainFile: directory.appendingPathComponent("\(service).pem").path,
                privateKeyFile: directory.appendingPathComponent("\(service).key").path,
                trustRootsFile: directory.appendingPathComponent("ca.pem").path
            )
        }
        for service in ["device-registry", "preferences", "bok", "gateway"] {
            #expect(try tls(service).identity == service)
        }
        let recorder = CallRecorder()
        let configuration = RPCServer.Configuration(
            security: .mutualTLS(try tls("device-registry")), authorization: IdentityMethods.policy)
        let gateway = RPCClient.Configuration(security: .mutualTLS(try tls("gateway")))
        try await withTimeout {
            try await withServer(services: [IdentityService(recorder: recorder)], configuration: configuration) {
                _, port in
                try await withClient(port: port, configuration: gateway) { client in
                    let answer = try await client.call(IdentityMethods.whoAmI, Mk_Rpc_V1_Metadata(traceId: "dev"))
                    #expect(answer.caller == "gateway")
                }
            }
        }
    }
}
