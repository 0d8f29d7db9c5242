import ArgumentParser
import Foundation
import Logging
import MKPostgres
import MKRPC
import MKServiceRuntime
import Preferences
import ServiceLifecycle

/// Applies pending migrations, then serves the RPC port (Preferences and EventSink), the admin
/// port, the delivery workers and (with `PUSH_ENABLED`) the push worker until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Migrate, then serve Preferences (the default).")

    func run() async throws {
        let settings = try PreferencesSettings(environment: EnvironmentSettings(ProcessInfo.processInfo.environment))
        let metrics = ProcessBootstrap.bootstrap(logLevel: settings.logLevel)
        let logger = Logger(label: "preferences")
        let database = try await MigratedDatabase.open(settings.database, logger: logger) {
            try await PreferencesMigrations.apply(to: $0)
        }
        let service = PreferencesService(client: database, configuration: settings.configuration, logger: logger)
        let sink = PreferencesEventSink(client: database)
        let server = RPCServer(
            host: settings.listenAddress.host, port: settings.listenAddress.port, services: [service, sink],
            configuration: RPCServer.Configuration(
                security: settings.rpcSecurity, authorization: PreferencesService.authorizationPolicy),
            logger: logger)
        let workers: [any Service] = (0..<settings.deliveryWorkers).map { _ in
            DeliveryWorker(
                client: database, email: settings.smtp.map { SMTPTransport(configuration: $0) },
                sms: settings.sms.map { SMSTransport(configuration: $0) }, configuration: settings.delivery,
                logger: logger)
        }
        // One push worker is enough: it sends a whole batch concurrently over one HTTP/2 connection.
        let pushProvider = settings.push.map { HTTP2PushProvider(configuration: $0) }
        let pushWorkers: [any Service] = pushProvider.map { provider in
            [PushWorker(client: database, provider: provider, configuration: settings.delivery, logger: logger)]
        } ?? []
        let admin = AdminServer.makeApplication(
            address: settings.adminAddress, metrics: metrics, logger: logger,
            readiness: { (try? await database.query("SELECT 1")) != nil })
        logger.info(
            "preferences starting",
            metadata: [
                "listen": "\(settings.listenAddress)", "admin": "\(settings.adminAddress)",
                "email": "\(settings.smtp == nil ? "off" : "on")", "sms": "\(settings.sms == nil ? "off" : "on")",
                "push": "\(pushProvider == nil ? "off" : "on")",
            ])
        // Started in this order, stopped in reverse: the server and workers stop before the pool.
        let pruner = QuotaPruner(client: database, logger: logger)
        let services: [any Service] = [database] + workers + pushWorkers + [pruner, server, admin]
        do {
            try await ProcessBootstrap.run(services: services, logger: logger)
        } catch {
            try? await pushProvider?.shutdown()
            throw error
        }
        try? await pushProvider?.shutdown()
    }
}
