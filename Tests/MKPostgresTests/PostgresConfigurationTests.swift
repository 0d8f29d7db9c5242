import Foundation
import MKPostgres
import Testing

@Suite("PostgresConfiguration")
struct PostgresConfigurationTests {
    @Test func urlFieldsArePercentDecoded() throws {
        let configuration = try PostgresConfiguration(
            url: "postgresql://svc%40x:p%40ss%3Aw%2Fd@db.example:6543/my%20db?sslmode=verify-full"
                + "&application_name=device-registry&connect_timeout=7&statement_timeout=1500&pool_size=3"
                + "&acquire_timeout=250&pipeline_connections=3&pipeline_stall=15"
        )
        #expect(configuration.user == "svc@x")
        #expect(configuration.password == "p@ss:w/d")
        #expect(configuration.host == "db.example")
        #expect(configuration.port == 6543)
        #expect(configuration.database == "my db")
        #expect(configuration.sslMode == .verifyFull)
        #expect(configuration.applicationName == "device-registry")
        #expect(configuration.connectTimeout == .seconds(7))
        #expect(configuration.statementTimeout == .milliseconds(1500))
        #expect(configuration.maximumConnections == 3)
        #expect(configuration.acquireTimeout == .milliseconds(250))
        #expect(configuration.pipelineConnections == 3)
        #expect(configuration.pipelineStall == .milliseconds(15))
    }

    @Test func defaultsAreShortTimeouts() throws {
        let configuration = try PostgresConfiguration(url: "postgresql://svc@localhost/registry")
        #expect(configuration.port == 5432)
        #expect(configuration.connectTimeout == .seconds(3))
        #expect(configuration.statementTimeout == .seconds(10))
        #expect(configuration.pipelineConnections == 2)
        #expect(configuration.pipelineStall == .milliseconds(2))
        #expect(configuration.password == nil)
    }

    @Test func descriptionNeverShowsThePassword() throws {
        let configuration = try PostgresConfiguration(url: "postgresql://svc:hunter2secret@localhost/registry")
        #expect(!configuration.description.contains("hunter2secret"))
        #expect(configuration.description.contains("svc"))
    }

    @Test(arguments: [
        "postgresql://svc:a%00b@localhost/db",
        "postgresql://svc@localhost/db%00x",
        "postgresql://svc:%FF%FE@localhost/db",
        "postgresql://svc@localhost/db?sslmode=sometimes",
        "postgresql://svc@localhost/db?unknown_option=1",
        "postgresql://svc@localhost/db?pipeline_connections=0",
        "postgresql://svc@localhost/db?pipeline_connections=two",
        "postgresql://svc@localhost/db?pipeline_stall=-1",
        "mysql://svc@localhost/db",
        "postgresql://localhost/db",
    ])
    func malformedURLsAreRejected(url: String) {
        #expect(throws: PostgresError.self) { try PostgresConfiguration(url: url) }
    }

    @Test func environmentVariableIsRead() throws {
        let configuration = try PostgresConfiguration(environment: ["DATABASE_URL": "postgresql://svc@h:1/db"])
        #expect(configuration.host == "h")
        let error = #expect(throws: PostgresError.self) { try PostgresConfiguration(environment: [:]) }
        #expect(error?.code == .invalidConfiguration)
    }
}
