import ArgumentParser
import Foundation
import Gateway
import Logging
import MKRPC
import MKServiceRuntime
import ServiceLifecycle

/// `gateway`: the HTTP face of Mobilní klíč. Configured by environment variables (see README).
@main
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway", abstract: "Serves the citizen portal and the gateway's HTTP APIs.")

    func run() async throws {
        let environment = EnvironmentSettings(ProcessInfo.processInfo.environment)
        let configuration = try GatewayConfiguration(environment: environment) { path in
            try String(contentsOfFile: path, encoding: .utf8)
        }
        let metrics = ProcessBootstrap.bootstrap(logLevel: try ProcessBootstrap.logLevel(configuration.logLevel))
        let logger = Logger(label: "gateway")
        let clientConfiguration = RPCClient.Configuration(
            callerName: "gateway", security: try environment.rpcTransportSecurity())
        let registry = RPCClient(
            host: configuration.deviceRegistryAddress.host, port: configuration.deviceRegistryAddress.port,
            configuration: clientConfiguration, logger: logger)
        let preferences = RPCClient(
            host: configuration.preferencesAddress.host, port: configuration.preferencesAddress.port,
            configuration: clientConfiguration, logger: logger)
        let bok = RPCClient(
            host: configuration.bokAddress.host, port: configuration.bokAddress.port,
            configuration: clientConfiguration, logger: logger)
        let application = try await buildApplication(
            configuration: configuration,
            backends: GatewayBackends(registry: registry, preferences: preferences, bok: bok), logger: logger)
        let admin = AdminServer.makeApplication(
            address: configuration.adminAddress, metrics: metrics, logger: logger, readiness: { true })
        if configuration.developmentIdentityProvider {
            logger.warning("The development identity provider is on: anyone can sign in as a demo citizen")
        }
        logger.info("Gateway listening", metadata: ["address": "\(configuration.listenAddress)"])
        try await ProcessBootstrap.run(services: [registry, preferences, bok, application, admin], logger: logger)
    }
}
