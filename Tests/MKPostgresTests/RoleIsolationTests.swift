import MKPostgres
import MKTestSupport
import Testing

@Suite("Service roles are isolated")
struct RoleIsolationTests {
    @Test func roleCannotReadAnotherServicesSchema() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgrolea") { serviceA in
            try await TestDatabase.withIsolatedSchema(prefix: "pgroleb") { serviceB in
                try await serviceB.withClient { client in
                    try await client.execute("CREATE TABLE secrets (value text)")
                    try await client.execute("INSERT INTO secrets VALUES (\("b's data"))")
                }
                try await serviceA.withClient { client in
                    try await client.execute("CREATE TABLE own (value text)")
                    try await client.execute("INSERT INTO own VALUES (\("a's data"))")
                    let observed = try await client.query("SELECT value FROM own").single(String.self)
                    #expect(observed == "a's data")
                    let error = await #expect(throws: PostgresError.self) {
                        try await client.query("SELECT value FROM \(identifier: serviceB.schema).secrets")
                    }
                    #expect(error?.isPermissionDenied == true)
                    let publicError = await #expect(throws: PostgresError.self) {
                        try await client.execute("CREATE TABLE public.sneaky (id int)")
                    }
                    #expect(publicError?.isPermissionDenied == true)
                }
            }
        }
    }

    @Test func provisioningIsIdempotentAndRefusesSuperusers() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgprov") { database in
            try await TestDatabase.withClient(try TestDatabase.adminConfiguration()) { admin in
                let provisioner = PostgresProvisioner(admin: admin)
                try await provisioner.ensureServiceRole(role: database.role, password: "new'pw\"", schema: database.schema)
                let superuser = try await admin.query("SELECT current_user::text").single(String.self)
                await #expect(throws: (any Error).self) {
                    try await provisioner.ensureServiceRole(role: superuser, password: nil, schema: database.schema)
                }
                await #expect(throws: PostgresError.self) {
                    try await provisioner.ensureServiceRole(role: "Bad Role", password: nil, schema: database.schema)
                }
            }
            try await database.withClient { client in
                let schema = try await client.query("SELECT current_schema()::text").single(String.self)
                #expect(schema == database.schema)
            }
        }
    }
}
