/// Creates and removes service roles and their schemas, through an administrator's client.
///
/// Each service gets a LOGIN role without special attributes that owns exactly one schema; the
/// `public` schema and the service schema grant nothing to PUBLIC, so a role reaches no other
/// service's data. Names are validated identifiers; the password travels as a bind parameter and
/// is quoted by the server (`format('%L')`), never spliced into SQL text in Swift.
public struct PostgresProvisioner: Sendable {
    private let admin: PostgresClient

    /// Namespaces the advisory lock that serialises concurrent provisioning.
    private static let lockClass: Int32 = 0x4D4B_5052

    /// Creates a provisioner over a client logged in as a role allowed to create roles and schemas.
    public init(admin: PostgresClient) {
        self.admin = admin
    }

    /// Makes sure `role` exists and can log in, owns `schema`, and has `search_path` set to it.
    /// Idempotent; safe to run from several jobs at once. `password` replaces the role's password;
    /// `nil` leaves it unchanged (for trust or certificate authentication). Refuses superusers.
    public func ensureServiceRole(role: String, password: String?, schema: String) async throws {
        try PostgresIdentifier.validate(role)
        try PostgresIdentifier.validate(schema)
        if let password {
            guard !password.isEmpty else {
                throw PostgresError(.invalidParameter, reason: "the password must not be empty")
            }
            try CString.check(password, field: "password")
        }
        try await admin.withTransaction { connection in
            // Settings local to this transaction carry the values into the DO block, which cannot
            // take bind parameters; they vanish at commit.
            try await connection.query(
                """
                SELECT set_config('mk_provision.role', \(role), true),
                       set_config('mk_provision.schema', \(schema), true),
                       set_config('mk_provision.password', \(password ?? ""), true)
                """
            )
            try await connection.simpleExecute(unsafeSQL: Self.ensureRoleBlock)
        }
    }

    /// Drops `schema` with everything in it, ends the role's sessions and drops `role`. Idempotent.
    public func dropServiceRole(role: String, schema: String) async throws {
        try PostgresIdentifier.validate(role)
        try PostgresIdentifier.validate(schema)
        try await admin.withTransaction { connection in
            try await connection.query(
                """
                SELECT set_config('mk_provision.role', \(role), true),
                       set_config('mk_provision.schema', \(schema), true)
                """
            )
            try await connection.simpleExecute(unsafeSQL: Self.dropRoleBlock)
        }
    }

    private static let ensureRoleBlock = """
        DO $mk$
        DECLARE
            role_name text := current_setting('mk_provision.role');
            schema_name text := current_setting('mk_provision.schema');
            secret text := current_setting('mk_provision.password');
        BEGIN
            PERFORM pg_advisory_xact_lock(\(lockClass), 0);
            IF EXISTS (SELECT FROM pg_roles WHERE rolname = role_name AND (rolsuper OR rolname = current_user)) THEN
                RAISE EXCEPTION 'refusing to provision role % as a service role', role_name
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role_name) THEN
                EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS',
                               role_name);
            ELSE
                EXECUTE format('ALTER ROLE %I LOGIN', role_name);
            END IF;
            IF secret <> '' THEN
                EXECUTE format('ALTER ROLE %I PASSWORD %L', role_name, secret);
            END IF;
            EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', schema_name, role_name);
            EXECUTE format('ALTER SCHEMA %I OWNER TO %I', schema_name, role_name);
            EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', schema_name);
            REVOKE ALL ON SCHEMA public FROM PUBLIC;
            EXECUTE format('ALTER ROLE %I SET search_path TO %I', role_name, schema_name);
        END
        $mk$
        """

    private static let dropRoleBlock = """
        DO $mk$
        DECLARE
            role_name text := current_setting('mk_provision.role');
            schema_name text := current_setting('mk_provision.schema');
        BEGIN
            PERFORM pg_advisory_xact_lock(\(lockClass), 0);
            EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', schema_name);
            IF EXISTS (SELECT FROM pg_roles WHERE rolname = role_name) THEN
                PERFORM pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = role_name;
                EXECUTE format('DROP OWNED BY %I', role_name);
                EXECUTE format('DROP ROLE %I', role_name);
            END IF;
        END
        $mk$
        """
}
