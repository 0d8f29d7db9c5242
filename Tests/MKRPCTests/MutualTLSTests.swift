import MKMessages
import NIOCore
import NIOPosix
import NIOSSL
import Testing

@testable import MKRPC

/// Methods of the identity test service; every one exchanges `Mk_Rpc_V1_Metadata` and answers the
/// caller identity the handler saw in `caller`.
enum IdentityMethods {
    static let service = "mk.test.v1.Identity"
    static let adminService = "mk.test.v1.Admin"
    /// Allowed to `gateway` by its own entry.
    static let whoAmI = RPCMethodDescriptor(service: service, method: "WhoAmI", isIdempotent: true)
    /// In no entry: denied to everyone.
    static let secret = RPCMethodDescriptor(service: service, method: "Secret", isIdempotent: true)
    /// Allowed to `bok` by a whole-service entry.
    static let reset = RPCMethodDescriptor(service: adminService, method: "Reset", isIdempotent: true)

    /// The policy of the test servers.
    static let policy = RPCAuthorizationPolicy()
        .allowing(["gateway"], toCall: whoAmI)
        .allowing(["bok"], toCallEveryMethodOf: adminService)
}

/// Answers the caller's identity; records `.started(traceId)` for every call that reaches it.
struct IdentityService: RPCService {
    let recorder: CallRecorder

    var methodHandlers: [RPCMethodHandler] {
        let recorder = self.recorder
        let answer: @Sendable (Mk_Rpc_V1_Metadata, RPCContext) async throws -> Mk_Rpc_V1_Metadata = {
            request, context in
            recorder.record(.started(request.traceId))
            return Mk_Rpc_V1_Metadata(traceId: request.traceId, caller: context.peerIdentity ?? "<none>")
        }
        return [
            RPCMethodHandler(descriptor: IdentityMethods.whoAmI, handler: answer),
            RPCMethodHandler(descriptor: IdentityMethods.secret, handler: answer),
            RPCMethodHandler(descriptor: IdentityMethods.reset, handler: answer),
        ]
    }
}

@Suite("Mutual TLS and caller authorization")
struct MutualTLSTests {
    /// A TLS server presenting `certificate` with ``IdentityMethods/policy``, running while `body`
    /// runs; `body` gets the recorder and the port.
    func withTLSServer<T: Sendable>(
        certificate: KeyPath<TestCertificates, TestCertificates.Issued> = \.registry,
        handshakeTimeout: Duration = .seconds(10),
        _ body: @escaping @Sendable (CallRecorder, Int) async throws -> T
    ) async throws -> T {
        let certificates = try TestCertificates.shared
        let recorder = CallRecorder()
        var tls = try certificates.configuration(certificates[keyPath: certificate])
        tls.handshakeTimeout = handshakeTimeout
        let configuration = RPCServer.Configuration(
            security: .mutualTLS(tls),
            authorization: IdentityMethods.policy
        )
        return try await withServer(services: [IdentityService(recorder: recorder)], configuration: configuration) {
            _, port in
            try await body(recorder, port)
        }
    }

    /// A client configuration that fails fast: one connection, one attempt.
    func clientConfiguration(_ security: RPCTransportSecurity) -> RPCClient.Configuration {
        RPCClient.Configuration(
            connections: 1, defaultTimeout: .seconds(10), maximumAttempts: 1, callerName: "test", security: security)
    }

    /// A mutual-TLS client presenting `certificate`, expecting the server to be `device-registry`.
    func tlsClient(
        _ certificate: KeyPath<TestCertificates, TestCertificates.Issued>,
        serverHostname: String? = "device-registry"
    ) throws -> RPCClient.Configuration {
        let certificates = try TestCertificates.shared
        return self.clientConfiguration(
            .mutualTLS(
                try certificates.configuration(certificates[keyPath: certificate], serverHostname: serverHostname)))
    }

    @Test func callOverMutualTLSReachesTheHandlerWithTheCallersIdentity() async throws {
        try await withTimeout {
            try await withTLSServer { recorder, port in
                try await withClient(port: port, configuration: try tlsClient(\.gateway)) { client in
                    let answer = try await client.call(IdentityMethods.whoAmI, Mk_Rpc_V1_Metadata(traceId: "hello"))
                    #expect(answer.caller == "gateway")
                    #expect(recorder.contains(.started("hello")))
                }
            }
        }
    }

    @Test func callerNotOnTheAllowlistGetsPermissionDenied() async throws {
        try await withTimeout {
            try await withTLSServer { recorder, port in
                try await withClient(port: port, configuration: try tlsClient(\.bok)) { client in
                    let error = await rpcError {
                        _ = try await client.call(IdentityMethods.whoAmI, Mk_Rpc_V1_Metadata(traceId: "bok-who"))
                    }
                    #expect(error?.code == .permissionDenied)
                    #expect(error?.reason == "CALLER_NOT_ALLOWED")
                    #expect(!recorder.contains(.started("bok-who")))
                    // The same connection still serves what bok is allowed: a whole-service entry.
                    let allowed = try await client.call(IdentityMethods.reset, Mk_Rpc_V1_Metadata(traceId: "bok-reset"))
                    #expect(allowed.caller == "bok")
                }
                try await withClient(port: port, configuration: try tlsClient(\.gateway)) { client in
                    let error = await rpcError {
                        _ = try await client.call(IdentityMethods.reset, Mk_Rpc_V1_Metadata(traceId: "gw-reset"))
                    }
                    #expect(error?.code == .permissionDenied)
                    #expect(!recorder.contains(.started("gw-reset")))
                }
            }
        }
    }

    @Test func methodAbsentFromThePolicyIsDeniedToEveryone() async throws {
        try await withTimeout {
            try await withTLSServer { recorder, port in
                for caller: KeyPath<TestCertificates, TestCertificates.Issued> in [\.gateway, \.bok] {
                    try await withClient(port: port, configuration: try tlsClient(caller)) { client in
                        let error = await rpcError {
                            _ = try await client.call(IdentityMethods.secret, Mk_Rpc_V1_Metadata(traceId: "secret"))
                        }
                        #expect(error?.code == .permissionDenied)
                    }
                }
                #expect(!recorder.contains(.started("secret")))
            }
        }
    }

    @Test func healthCheckAnswersAnyAuthenticatedCaller() async throws {
        try await withTimeout {
            try await withTLSServer { _, port in
                // preferences is in no entry of the policy at all.
                try await withClient(port: port, configuration: try tlsClient(\.preferences)) { client in
                    let health = try await client.unary(
                        RPCServer.healthCheckMethod,
                        request: Mk_Rpc_V1_HealthCheckRequest(),
                        responseType: Mk_Rpc_V1_HealthCheckResponse.self,
                        options: RPCCallOptions()
                    )
                    #expect(health.status == .serving)
                    let error = await rpcError { _ = try await client.call(IdentityMethods.whoAmI) }
                    #expect(error?.code == .permissionDenied)
                }
            }
        }
    }

    @Test func clientCertificateFromAnotherCAIsRefused() async throws {
        try await withTimeout {
            try await withTLSServer { recorder, port in
                let certificates = try TestCertificates.shared
                // The intruder trusts the real CA (so it accepts the server) but its own certificate
                // is from a CA the server does not trust.
                let intruder = try RPCTLSConfiguration(
                    certificateChainFile: certificates.intruder.certificateFile,
                    privateKeyFile: certificates.intruder.keyFile,
                    trustRootsFile: certificates.caFile,
                    serverHostname: "device-registry"
                )
                try await withClient(port: port, configuration: clientConfiguration(.mutualTLS(intruder))) { client in
                    let error = await rpcError {
                        _ = try await client.call(IdentityMethods.whoAmI, Mk_Rpc_V1_Metadata(traceId: "intruder"))
                    }
                    #expect(error?.code == .unavailable)
                }
                #expect(!recorder.contains(.started("intruder")))
            }
        }
    }

    @Test func clientCertificateWithoutIdentityIsRefused() async throws {
        try await withTimeout {
            try await withTLSServer { recorder, port in
                let certificates = try TestCertificates.shared
                // RPCTLSConfiguration refuses such a certificate for itself, so present it by hand.
                var tls = TLSConfiguration.makeClientConfiguration()
                tls.minimumTLSVersion = .tlsv13
                tls.trustRoots = .file(certificates.caFile)
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificates.anonymous.certificateFile)
                    .map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: certificates.anonymous.keyFile, format: .pem))
                let answered = try await sendOneRequest(
                    over: tls, serverHostname: "device-registry", port: port, tag: "anon")
                #expect(!answered)
                #expect(!recorder.contains(.started("anon")))
            }
        }
    }

    @Test func clientWithoutCertificateIsRefused() async throws {
        try await withTimeout {
            try await withTLSServer { recorder, port in
                var tls = TLSConfiguration.makeClientConfiguration()
                tls.minimumTLSVersion = .tlsv13
                tls.trustRoots = .file(try TestCertificates.shared.caFile)
                let answered = try await sendOneRequest(
                    over: tls, serverHostname: "device-registry", port: port, tag: "nocert")
                #expect(!answered)
                #expect(!recorder.contains(.started("nocert")))
            }
        }
    }

    @Test func serverCertificateForAnotherHostIsRefusedByTheClient() async throws {
        try await withTimeout {
            // The server presents the preferences certificate; the client expects device-registry.
            try await withTLSServer(certificate: \.preferences) { recorder, port in
                try await withClient(port: port, configuration: try tlsClient(\.gateway)) { client in
                    let error = await rpcError {
                        _ = try await client.call(IdentityMethods.whoAmI, Mk_Rpc_V1_Metadata(traceId: "wrong-host"))
                    }
                    #expect(error?.code == .unavailable)
                }
                // No name override: the certificate has no IP address SAN for 127.0.0.1 either.
                try await withClient(port: port, configuration: try tlsClient(\.gateway, serverHostname: nil)) {
                    client in
                    let error = await rpcError {
                        _ = try await client.call(IdentityMethods.whoAmI, Mk_Rpc_V1_Metadata(traceId: "by-address"))
                    }
                    #expect(error?.code == .unavailable)
                }
                #expect(!recorder.contains(.started("wrong-host")))
                #expect(!recorder.contains(.started("by-address")))
            }
        }
    }

    @Test func plaintextClientToTLSServerFailsAndTheServerKeepsServing() async throws {
        try await withTimeout {
            try await withTLSServer { recorder, port in
                try await withClient(port: port, configuration: clientConfiguration(.plaintext)) { client in
                    let error = await rpcError {
                        _ = try await client.call(IdentityMethods.whoAmI, Mk_Rpc_V1_Metadata(traceId: "plain"))
                    }
                    #expect(error?.code == .unavailable)
                }
                #expect(!recorder.contains(.started("plain")))
                try await withClient(port: port, configuration: try tlsClient(\.gateway)) { client in
                    let answer = try await client.call(IdentityMethods.whoAmI, Mk_Rpc_V1_Metadata(traceId: "after"))
                    #expect(answer.caller == "gateway")
                }
            }
        }
    }

    @Test func peerThatNeverCompletesTheHandshakeIsClosed() async throws {
        try await withTimeout {
            try await withTLSServer(handshakeTimeout: .seconds(2)) { _, port in
                let closed = try await RawConnection.with(port: port) { connection in
                    // Half a TLS record header, then silence.
                    try await connection.send([0x16, 0x03])
                    return await connection.waitForClose()
                }
                #expect(closed)
                try await withClient(port: port, configuration: try tlsClient(\.gateway)) { client in
                    let answer = try await client.call(IdentityMethods.whoAmI, Mk_Rpc_V1_Metadata(traceId: "next"))
                    #expect(answer.caller == "gateway")
                }
            }
        }
    }

    @Test func plaintextIsRefusedOffLoopback() async throws {
        let server = RPCServer(host: "0.0.0.0", port: 0, services: [], logger: testLogger)
        let serverError = await rpcError { try await server.run() }
        #expect(serverError?.code == .failedPrecondition)
        #expect(serverError?.reason == "PLAINTEXT_NOT_LOOPBACK")

        let client = RPCClient(host: "device-registry.example", port: 7101, logger: testLogger)
        defer { client.shutdown() }
        let clientError = await rpcError { _ = try await client.call(EchoMethods.echo) }
        #expect(clientError?.code == .failedPrecondition)
    }

    @Test func plaintextOnLoopbackAppliesNoPolicy() async throws {
        let recorder = CallRecorder()
        // An empty policy would deny everything with TLS; over plaintext nobody is authenticated
        // and the policy is not applied.
        try await withTimeout {
            try await withServer(services: [IdentityService(recorder: recorder)]) { _, port in
                try await withClient(port: port) { client in
                    let answer = try await client.call(IdentityMethods.secret, Mk_Rpc_V1_Metadata(traceId: "plain-ok"))
                    #expect(answer.caller == "<none>")
                }
            }
        }
    }

    @Test func loopbackHostsAreRecognised() {
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1"] {
            #expect(RPCTransportSecurity.isLoopbackHost(host), "\(host)")
        }
        for host in ["0.0.0.0", "10.0.0.1", "128.0.0.1", "127.0.0", "127.0.0.256", "localhost.evil", "", "::"] {
            #expect(!RPCTransportSecurity.isLoopbackHost(host), "\(host)")
        }
    }

    /// Connects with raw NIOSSL and sends one request frame; true when a response frame came back.
    private func sendOneRequest(
        over tls: TLSConfiguration,
        serverHostname: String,
        port: Int,
        tag: String
    ) async throws -> Bool {
        let context = try NIOSSLContext(configuration: tls)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        try NIOSSLClientHandler(context: context, serverHostname: serverHostname))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            do {
                let frame = try requestFrame(callID: 1, method: IdentityMethods.whoAmI, tag: tag)
                try await outbound.write(try RPCEnvelopeCodec.encode(frame, maximumFrameSize: 65_536))
                var buffered = ByteBuffer()
                for try await var bytes in inbound {
                    buffered.writeBuffer(&bytes)
                    if try RPCFrameDecoder.readFrame(from: &buffered, maximumFrameSize: 65_536) != nil {
                        return true
                    }
                }
            } catch {
                // A TLS alert or a reset: the server refused the connection.
            }
            return false
        }
    }
}
