-- Gives each service its own login role and a schema it owns, and nothing else (run once by the
-- compose stack's `provision` service as the PostgreSQL superuser; psql variables carry the
-- passwords so no value is spliced into SQL text).
SELECT format('CREATE ROLE %I LOGIN', r) FROM unnest(ARRAY['mk_registry', 'mk_preferences', 'mk_bok']) AS r
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) \gexec
SELECT format('ALTER ROLE mk_registry PASSWORD %L', :'registry_password') \gexec
SELECT format('ALTER ROLE mk_preferences PASSWORD %L', :'preferences_password') \gexec
SELECT format('ALTER ROLE mk_bok PASSWORD %L', :'bok_password') \gexec
CREATE SCHEMA IF NOT EXISTS registry AUTHORIZATION mk_registry;
CREATE SCHEMA IF NOT EXISTS preferences AUTHORIZATION mk_preferences;
CREATE SCHEMA IF NOT EXISTS bok AUTHORIZATION mk_bok;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
