-- The BOK service's tables (schema `bok`; every name is unqualified and lands in the schema the
-- migrator runs in). Times are timestamptz written from the service's clock. No table ever holds a
-- BOK or a counter code in clear.

-- One row per citizen the service has heard of. Every mutating transaction first locks its
-- subject's row, so one citizen's changes (and their outbox sequence numbers) are serialized.
CREATE TABLE subject (
    subject text PRIMARY KEY,
    first_seen_at timestamptz NOT NULL
);

-- A citizen's BOK; no row means the citizen has none (a normal state). The code is stored as
-- verifier = HMAC-SHA256(pepper[pepper_key_id], domain || subject || Argon2id(code, salt, params)):
-- the pepper lives outside the database, so a copy of this table alone cannot be searched offline.
-- failures counts consecutive wrong answers; it is raised *before* a hash is checked and never
-- past 3, and 3 means blocked. generation changes whenever the code is set or replaced, so an
-- answer checked against an older code cannot reset or block the new one.
CREATE TABLE credential (
    subject text PRIMARY KEY REFERENCES subject (subject),
    generation bigint NOT NULL,
    failures integer NOT NULL CHECK (failures BETWEEN 0 AND 3),
    algorithm text NOT NULL CHECK (algorithm = 'argon2id'),
    argon2_version integer NOT NULL,
    memory_kib integer NOT NULL CHECK (memory_kib > 0),
    iterations integer NOT NULL CHECK (iterations > 0),
    parallelism integer NOT NULL CHECK (parallelism > 0),
    salt bytea NOT NULL,
    pepper_key_id text NOT NULL,
    verifier bytea NOT NULL,
    set_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    blocked_at timestamptz
);

-- Verification requests started by office counters. The counter code is kept only as an HMAC
-- under a pepper (counter_code_mac, counter_code_key_id). 'answering' is the state an answer
-- claims atomically before its BOK is hashed, so a request is answered at most once.
CREATE TABLE verification (
    id uuid PRIMARY KEY,
    subject text NOT NULL REFERENCES subject (subject),
    office_id text NOT NULL,
    office_name text NOT NULL,
    counter_id text NOT NULL,
    purpose text NOT NULL,
    counter_code_key_id text NOT NULL,
    counter_code_mac bytea NOT NULL,
    state text NOT NULL CHECK (state IN (
        'pending', 'answering', 'verified', 'wrong_bok', 'blocked', 'wrong_counter_code', 'expired', 'cancelled')),
    started_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    finished_at timestamptz,
    device_id uuid,
    attempts_left integer
);
CREATE INDEX verification_subject_started ON verification (subject, started_at DESC);
CREATE INDEX verification_counter_started ON verification (office_id, counter_id, started_at);
CREATE INDEX verification_open_expiry ON verification (expires_at) WHERE state IN ('pending', 'answering');

-- The operators' audit trail: every state change, who asked, from which caller, under which trace
-- id. Never a secret (no codes, counter codes, keys or ciphertexts).
CREATE TABLE audit (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL,
    subject text NOT NULL,
    action text NOT NULL,
    request_id uuid,
    device_id uuid,
    office_id text NOT NULL,
    caller text NOT NULL,
    peer_identity text NOT NULL,
    trace_id text NOT NULL,
    detail text NOT NULL
);
CREATE INDEX audit_subject_at ON audit (subject, at);
