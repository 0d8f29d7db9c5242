-- Informative notifications have no dedup_key, and the other notices no authority's idempotency
-- key: each key's unique index now holds only the rows that have one (NULLs never conflicted), so
-- a notification writes one index entry fewer. Lookups by a key (`= $1`) imply it is not NULL and
-- use the partial index.
ALTER TABLE notification DROP CONSTRAINT notification_dedup_key_key;
CREATE UNIQUE INDEX notification_dedup_key ON notification (dedup_key) WHERE dedup_key IS NOT NULL;
ALTER TABLE notification DROP CONSTRAINT notification_authority_id_idempotency_key_key;
CREATE UNIQUE INDEX notification_idempotency_key ON notification (authority_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
