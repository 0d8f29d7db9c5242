import ArgumentParser
import DeviceRegistry
import Foundation
import Logging
import MKEvents
import MKPostgres
import MKRPC
import MKServiceRuntime
import ServiceLifecycle

/// Applies pending migrations, then serves the RPC port, the admin port and the event relay until
/// SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Migrate, then serve the Device Registry (the default).")

    func run() async throws {
        let settings = try DeviceRegistrySettings(environment: EnvironmentSettings(ProcessInfo.processInfo.environment))
        let metrics = ProcessBootstrap.bootstrap(logLevel: settings.logLevel)
        let logger = Logger(label: "device-registry")
        let database = try await MigratedDatabase.open(settings.database, logger: logger) {
            try await DeviceRegistryMigrations.apply(to: $0)
        }
        let sinkClients = settings.eventSubscribers.map { subscriber in
            (
                subscriber,
                RPCClient(
                    host: subscriber.address.host, port: subscriber.address.port,
                    configuration: RPCClient.Configuration(callerName: "device-registry", security: settings.rpcSecurity),
                    logger: logger)
            )
        }
        let relay = OutboxRelay(
            client: database,
            subscribers: sinkClients.map {
                OutboxSubscriber(name: $0.0.name, caller: $0.1, eventTypes: $0.0.eventTypes)
            },
            configuration: OutboxRelayConfiguration(producer: "device-registry"),
            logger: logger)
        let service = DeviceRegistryService(
            client: database,
            configuration: DeviceRegistryConfiguration(maximumActiveKeys: settings.maximumActiveKeys),
            relay: relay, logger: logger)
        let server = RPCServer(
            host: settings.listenAddress.host, port: settings.listenAddress.port, services: [service],
            configuration: RPCServer.Configuration(
                security: settings.rpcSecurity, authorization: DeviceRegistryService.authorizationPolicy),
            logger: logger)
        let admin = AdminServer.makeApplication(
            address: settings.adminAddress, metrics: metrics, logger: logger,
            readiness: { (try? await database.query("SELECT 1")) != nil })
        logger.info(
            "device-registry starting",
            metadata: ["listen": "\(settings.listenAddress)", "admin": "\(settings.adminAddress)"])
        // Started in this order, stopped in reverse: the server drains before the clients and the
        // database pool it uses close.
        let services: [any Service] = [database] + sinkClients.map(\.1) + [relay, server, admin]
        try await ProcessBootstrap.run(services: services, logger: logger)
    }
}
