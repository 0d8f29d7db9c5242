-- The Preferences service's tables (schema `preferences`; names are unqualified and land in the
-- schema the migrator runs in). Times are timestamptz written from the service's clock.

-- One row per citizen: the contacts from "Vaše údaje", the contact rows' switches, and the grid's
-- version. Every mutating transaction of a citizen locks this row first, so a save, an event and
-- a notification of one citizen are serialized. version increases with every change to the grid
-- (a save, a key paired or unpaired, new contacts), so a grid based on an old key set is stale.
CREATE TABLE citizen (
    subject text PRIMARY KEY,
    email text NOT NULL DEFAULT '',
    phone text NOT NULL DEFAULT '',
    email_informative boolean NOT NULL DEFAULT true,
    sms_informative boolean NOT NULL DEFAULT true,
    version bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL
);

-- The settings of every active key; created by DevicePaired, deleted by DeviceUnpaired.
CREATE TABLE device_setting (
    device_id uuid PRIMARY KEY,
    subject text NOT NULL REFERENCES citizen (subject),
    display_name text NOT NULL,
    name_at timestamptz NOT NULL,
    informative boolean NOT NULL,
    login boolean NOT NULL,
    bok_pad boolean NOT NULL,
    paired_at timestamptz NOT NULL
);
CREATE INDEX device_setting_subject ON device_setting (subject, paired_at);

-- Keys known to be unpaired, so a late or repeated DevicePaired never brings one back.
CREATE TABLE unpaired_device (
    device_id uuid PRIMARY KEY,
    subject text NOT NULL,
    unpaired_at timestamptz NOT NULL
);

-- Every notification: an authority's informative message, a sign-in notice, a security notice or
-- a BOK receipt. authority_id/idempotency_key/content_hash make SendInformative idempotent;
-- dedup_key makes NotifyLogin idempotent by the identity provider's event id.
CREATE TABLE notification (
    id uuid PRIMARY KEY,
    subject text NOT NULL,
    kind integer NOT NULL,
    authority_id text,
    authority_name text NOT NULL DEFAULT '',
    idempotency_key text,
    content_hash bytea,
    dedup_key text UNIQUE,
    title text NOT NULL,
    body text NOT NULL,
    sms_text text NOT NULL,
    concerns_device_id uuid,
    created_at timestamptz NOT NULL,
    UNIQUE (authority_id, idempotency_key)
);
CREATE INDEX notification_subject_created ON notification (subject, created_at DESC, id);

-- The delivery outbox: one row per notification and channel, written in the notification's
-- transaction. state: pending (waiting or retrying; next_attempt_at says when), sent (handed to
-- the transport or placed in the key's inbox), failed (given up; last_error says why), read (the
-- key acknowledged it). A key's inbox is its device rows in state sent. no_address marks a contact
-- row of a citizen without that contact: it is processed like the others and never sent, so the
-- sender cannot tell it apart. A worker claims a row by setting lease_token and moving next_attempt_at past its lease, so a
-- worker that dies mid-send only delays the row until the lease ends.
CREATE TABLE delivery (
    id uuid PRIMARY KEY,
    notification_id uuid NOT NULL REFERENCES notification (id) ON DELETE CASCADE,
    position integer NOT NULL,
    channel integer NOT NULL,
    device_id uuid,
    no_address boolean NOT NULL DEFAULT false,
    state text NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'read')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    lease_token uuid,
    last_error text NOT NULL DEFAULT '',
    sent_at timestamptz,
    read_at timestamptz,
    UNIQUE (notification_id, position)
);
CREATE INDEX delivery_due ON delivery (next_attempt_at) WHERE state = 'pending';
CREATE INDEX delivery_inbox ON delivery (device_id, id) WHERE state = 'sent';

-- Informative notifications accepted per authority per hour (the quota's fixed windows).
CREATE TABLE authority_quota (
    authority_id text NOT NULL,
    window_start timestamptz NOT NULL,
    used integer NOT NULL,
    PRIMARY KEY (authority_id, window_start)
);

-- Every state change: who asked, when, what. detail never holds a contact, a text or a token.
CREATE TABLE audit (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL,
    subject text NOT NULL,
    action text NOT NULL,
    detail text NOT NULL,
    caller text NOT NULL,
    trace_id text NOT NULL
);
CREATE INDEX audit_subject_at ON audit (subject, at);
