-- The Device Registry's tables (schema `registry`; every name is unqualified and lands in the
-- schema the migrator runs in). Times are timestamptz written from the service's clock.

-- One row per citizen the registry has heard of. Every mutating transaction first locks its
-- subject's row, so changes of one citizen (and their outbox sequence numbers) are serialized.
CREATE TABLE subject (
    subject text PRIMARY KEY,
    first_seen_at timestamptz NOT NULL
);

-- Pairing sessions. The activation code is stored only as SHA-256 (code_hash); its first four
-- characters (lookup_prefix) route a redemption attempt to its session so wrong attempts count.
CREATE TABLE pairing (
    id uuid PRIMARY KEY,
    subject text NOT NULL REFERENCES subject (subject),
    lookup_prefix text NOT NULL,
    code_hash bytea NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    failed_attempts integer NOT NULL DEFAULT 0,
    state text NOT NULL CHECK (state IN ('pending', 'completed', 'dead')),
    device_id uuid,
    completed_at timestamptz
);
CREATE INDEX pairing_pending_prefix ON pairing (lookup_prefix) WHERE state = 'pending';
CREATE INDEX pairing_pending_subject ON pairing (subject, expires_at) WHERE state = 'pending';

-- Every key ever paired; unpaired_at is set when it is disconnected (rows are never deleted, so
-- the history stays complete). public_key is the X9.63 uncompressed P-256 point.
CREATE TABLE device (
    id uuid PRIMARY KEY,
    subject text NOT NULL REFERENCES subject (subject),
    device_name text NOT NULL,
    model text NOT NULL,
    platform integer NOT NULL,
    app_version text NOT NULL,
    public_key bytea NOT NULL,
    push_token text NOT NULL,
    default_name text NOT NULL,
    custom_name text,
    paired_at timestamptz NOT NULL,
    last_used_at timestamptz,
    unpaired_at timestamptz,
    unpair_reason integer
);
CREATE INDEX device_subject_active ON device (subject, paired_at) WHERE unpaired_at IS NULL;

-- Identification means other than keys, as last seen in sign-ins reported by RecordUse.
CREATE TABLE known_means (
    subject text NOT NULL REFERENCES subject (subject),
    kind integer NOT NULL,
    first_seen_at timestamptz NOT NULL,
    last_used_at timestamptz NOT NULL,
    PRIMARY KEY (subject, kind)
);

-- The identity provider's sign-in event ids already recorded (RecordUse is idempotent by them).
CREATE TABLE use_event (
    event_id text PRIMARY KEY,
    subject text NOT NULL,
    recorded_at timestamptz NOT NULL
);

-- The citizen-visible history of every key: paired, renamed, unpaired, signed in.
CREATE TABLE history (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject text NOT NULL REFERENCES subject (subject),
    at timestamptz NOT NULL,
    action integer NOT NULL,
    device_id uuid,
    device_display_name text NOT NULL,
    detail text NOT NULL,
    origin text NOT NULL
);
CREATE INDEX history_subject_at ON history (subject, at DESC, id DESC);

-- Single-use challenges for device signatures; consumed_at is set by the first verification.
CREATE TABLE challenge (
    id uuid PRIMARY KEY,
    device_id uuid NOT NULL REFERENCES device (id),
    nonce bytea NOT NULL,
    issued_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    consumed_at timestamptz
);
CREATE INDEX challenge_device_expires ON challenge (device_id, expires_at);

-- The operators' audit trail: every state change, who asked, from which caller, under which
-- trace id. Never a secret (no codes, nonces, keys or tokens).
CREATE TABLE audit (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL,
    subject text NOT NULL,
    action text NOT NULL,
    device_id uuid,
    pairing_id uuid,
    caller text NOT NULL,
    peer_identity text NOT NULL,
    trace_id text NOT NULL,
    detail text NOT NULL
);
CREATE INDEX audit_subject_at ON audit (subject, at);
