internal import Foundation
public import Logging
public import MKPostgres
public import MKRPC
public import MKServiceRuntime

/// The `preferences` process's configuration, read from environment variables; a malformed value
/// stops the process at start with a message naming the variable (never a secret's value).
public struct PreferencesSettings: Sendable {
    /// `DATABASE_URL`: the service's database (role and schema `preferences`).
    public var database: PostgresConfiguration
    /// `LISTEN_ADDR`: the RPC address (default `127.0.0.1:7201`).
    public var listenAddress: HostAndPort
    /// `ADMIN_ADDR`: `/healthz`, `/readyz`, `/metrics` (default `127.0.0.1:9201`).
    public var adminAddress: HostAndPort
    /// `LOG_LEVEL`: `trace` … `critical` (default `info`).
    public var logLevel: Logger.Level
    /// `SMTP_URL`, `SMTP_STARTTLS`, `SMTP_USER`, `SMTP_PASSWORD`, `SMTP_FROM`, `SMTP_TIMEOUT_MS`,
    /// `SMTP_CA_FILE`;
    /// `nil` when `SMTP_URL` is unset (e-mail deliveries then fail with "not configured").
    public var smtp: SMTPConfiguration?
    /// `SMS_API_URL`, `SMS_API_TOKEN`, `SMS_TIMEOUT_MS`; `nil` when `SMS_API_URL` is unset.
    public var sms: SMSConfiguration?
    /// `PUSH_ENABLED` (default false), `PUSH_URL`, `PUSH_CREDENTIAL_FILE`, `PUSH_TOPIC`,
    /// `PUSH_TIMEOUT_MS`, `PUSH_CA_FILE`; `nil` when push wake-ups are off.
    public var push: PushConfiguration?
    /// `DELIVERY_POLL_MS`, `DELIVERY_BATCH`, `DELIVERY_MAX_ATTEMPTS`, `DELIVERY_BACKOFF_MS`,
    /// `DELIVERY_MAX_BACKOFF_MS`, `DELIVERY_LEASE_MS`.
    public var delivery: DeliveryWorkerConfiguration
    /// `DELIVERY_WORKERS`: concurrent delivery workers in this process (default 2).
    public var deliveryWorkers: Int
    /// `AUTHORITY_QUOTA_PER_HOUR` (default 10000).
    public var configuration: PreferencesConfiguration
    /// `RPC_TLS_CERT_FILE`, `RPC_TLS_KEY_FILE`, `RPC_TLS_CA_FILE` (mutual TLS), or
    /// `RPC_PLAINTEXT=true` on loopback for development: how RPC connections are protected.
    public var rpcSecurity: RPCTransportSecurity

    /// Reads and validates every setting.
    public init(environment: EnvironmentSettings) throws {
        database = try environment.database()
        listenAddress = try environment.address("LISTEN_ADDR", default: "127.0.0.1:7201")
        adminAddress = try environment.address("ADMIN_ADDR", default: "127.0.0.1:9201")
        rpcSecurity = try environment.rpcTransportSecurity(listenAddress: listenAddress)
        logLevel = try ProcessBootstrap.logLevel(try environment.string("LOG_LEVEL", default: "info"))
        push = try Self.push(environment)
        if let smtpURL = try environment.optionalString("SMTP_URL") {
            guard smtpURL.hasPrefix("smtp://") || smtpURL.hasPrefix("smtps://") else {
                throw ConfigurationError(setting: "SMTP_URL", problem: "must start with smtp:// or smtps://")
            }
            let from = try environment.string("SMTP_FROM")
            guard (try? EmailAddress(parsing: from, field: "SMTP_FROM")) != nil else {
                throw ConfigurationError(setting: "SMTP_FROM", problem: "must be an e-mail address")
            }
            let caFile = try environment.optionalString("SMTP_CA_FILE")
            if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
                throw ConfigurationError(setting: "SMTP_CA_FILE", problem: "cannot be read")
            }
            smtp = SMTPConfiguration(
                url: smtpURL, requireTLS: try environment.boolean("SMTP_STARTTLS", default: true),
                username: try environment.optionalString("SMTP_USER"),
                password: try environment.optionalString("SMTP_PASSWORD"), from: from,
                timeout: try environment.milliseconds("SMTP_TIMEOUT_MS", default: .seconds(30), in: 100...300_000),
                caFile: caFile)
        } else {
            smtp = nil
        }
        if let smsURL = try environment.optionalString("SMS_API_URL") {
            guard smsURL.hasPrefix("https://") || smsURL.hasPrefix("http://") else {
                throw ConfigurationError(setting: "SMS_API_URL", problem: "must start with https:// or http://")
            }
            sms = SMSConfiguration(
                url: smsURL, token: try environment.string("SMS_API_TOKEN"),
                timeout: try environment.milliseconds("SMS_TIMEOUT_MS", default: .seconds(15), in: 100...300_000))
        } else {
            sms = nil
        }
        let longestSend = max(smtp?.timeout ?? .zero, sms?.timeout ?? .zero, push?.timeout ?? .zero)
        let lease = try environment.milliseconds("DELIVERY_LEASE_MS", default: .seconds(120), in: 1000...3_600_000)
        guard lease > longestSend else {
            throw ConfigurationError(setting: "DELIVERY_LEASE_MS", problem: "must be longer than the SMTP, SMS and push timeouts")
        }
        delivery = DeliveryWorkerConfiguration(
            pollInterval: try environment.milliseconds("DELIVERY_POLL_MS", default: .seconds(1), in: 10...60_000),
            batchSize: try environment.integer("DELIVERY_BATCH", default: 16, in: 1...500),
            maximumAttempts: try environment.integer("DELIVERY_MAX_ATTEMPTS", default: 8, in: 1...100),
            initialBackoff: try environment.milliseconds("DELIVERY_BACKOFF_MS", default: .seconds(10), in: 10...3_600_000),
            maximumBackoff: try environment.milliseconds(
                "DELIVERY_MAX_BACKOFF_MS", default: .seconds(3600), in: 10...86_400_000),
            lease: lease)
        deliveryWorkers = try environment.integer("DELIVERY_WORKERS", default: 2, in: 1...64)
        configuration = PreferencesConfiguration(
            authorityQuotaPerHour: try environment.integer("AUTHORITY_QUOTA_PER_HOUR", default: 10_000, in: 1...10_000_000),
            authorityQuotaSlots: try environment.integer("AUTHORITY_QUOTA_SLOTS", default: 64, in: 1...256),
            pushEnabled: push != nil)
    }
}
