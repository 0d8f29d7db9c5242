import MKMessages
import Testing

@testable import MKRPC

@Suite("Server metrics")
struct MetricsTests {
    @Test func callsErrorsLatencyAndConnectionsAreRecorded() async throws {
        let metrics = TestMetricsFactory()
        let configuration = RPCServer.Configuration(metricsFactory: metrics)
        try await withTimeout {
            try await withServer(services: [EchoService()], configuration: configuration) { _, port in
                try await withClient(port: port, configuration: RPCClient.Configuration(connections: 1)) { client in
                    for _ in 0..<3 { _ = try await client.call(EchoMethods.echo) }
                    _ = await rpcError {
                        _ = try await client.call(EchoMethods.fail, Mk_Rpc_V1_Metadata(traceId: "domain"))
                    }
                    _ = await rpcError { _ = try await client.call(EchoMethods.missing) }
                }
            }
        }
        let echo = [("method", EchoMethods.echo.fullName)]
        let fail = [("method", EchoMethods.fail.fullName)]
        #expect(metrics.counter(RPCServerMetrics.callsLabel, echo) == 3)
        #expect(metrics.timerValues(RPCServerMetrics.latencyLabel, echo).count == 3)
        #expect(metrics.counter(RPCServerMetrics.callsLabel, fail) == 1)
        #expect(metrics.counter(RPCServerMetrics.errorsLabel, fail + [("code", "NOT_FOUND")]) == 1)
        #expect(metrics.counter(RPCServerMetrics.errorsLabel, echo + [("code", "NOT_FOUND")]) == 0)
        let unknown = [("method", RPCServerMetrics.unknownMethod)]
        #expect(metrics.counter(RPCServerMetrics.errorsLabel, unknown + [("code", "UNIMPLEMENTED")]) == 1)
        #expect((metrics.meter(RPCServerMetrics.connectionsLabel)?.highest ?? 0) >= 1)
    }
}
