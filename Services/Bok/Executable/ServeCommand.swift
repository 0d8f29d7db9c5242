import ArgumentParser
import Bok
import Foundation
import Logging
import MKEvents
import MKPostgres
import MKRPC
import MKServiceRuntime
import ServiceLifecycle

/// Applies pending migrations, then serves the RPC port, the admin port, the event relay and the
/// expiry sweeper until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Migrate, then serve the BOK service (the default).")

    func run() async throws {
        let settings = try BokSettings(environment: EnvironmentSettings(ProcessInfo.processInfo.environment))
        let metrics = ProcessBootstrap.bootstrap(logLevel: settings.logLevel)
        let logger = Logger(label: "bok")
        let database = try await MigratedDatabase.open(settings.database, logger: logger) {
            try await BokMigrations.apply(to: $0)
        }
        let clientConfiguration = RPCClient.Configuration(callerName: "bok", security: settings.rpcSecurity)
        let registry = RPCClient(
            host: settings.deviceRegistryAddress.host, port: settings.deviceRegistryAddress.port,
            configuration: clientConfiguration, logger: logger)
        let preferences = RPCClient(
            host: settings.preferencesAddress.host, port: settings.preferencesAddress.port,
            configuration: clientConfiguration, logger: logger)
        let service = BokService(
            client: database, peppers: settings.peppers, hpkeKey: settings.hpkeKey, registry: registry,
            preferences: preferences, configuration: settings.configuration)
        let server = RPCServer(
            host: settings.listenAddress.host, port: settings.listenAddress.port, services: [service],
            configuration: RPCServer.Configuration(
                security: settings.rpcSecurity, authorization: BokService.authorizationPolicy),
            logger: logger)
        let sinkClients = settings.eventSubscribers.map { subscriber in
            (
                subscriber,
                RPCClient(
                    host: subscriber.address.host, port: subscriber.address.port, configuration: clientConfiguration,
                    logger: logger)
            )
        }
        let relay = OutboxRelay(
            client: database,
            subscribers: sinkClients.map {
                OutboxSubscriber(name: $0.0.name, caller: $0.1, eventTypes: $0.0.eventTypes)
            },
            configuration: OutboxRelayConfiguration(producer: "bok"),
            logger: logger)
        let expirer = VerificationExpirer(service: service, logger: logger)
        let admin = AdminServer.makeApplication(
            address: settings.adminAddress, metrics: metrics, logger: logger,
            readiness: { (try? await database.query("SELECT 1")) != nil })
        logger.info(
            "bok starting",
            metadata: [
                "listen": "\(settings.listenAddress)", "admin": "\(settings.adminAddress)",
                "pepper_key_ids": "\(settings.peppers.keyIDs)", "hpke_key_id": "\(settings.hpkeKey.keyID)",
                "hash_concurrency": "\(settings.configuration.hashConcurrency)",
            ])
        // Started in this order, stopped in reverse: the server drains before the clients and the
        // database pool it uses close.
        let services: [any Service] =
            [database, registry, preferences] + sinkClients.map(\.1) + [relay, expirer, server, admin]
        try await ProcessBootstrap.run(services: services, logger: logger)
    }
}
