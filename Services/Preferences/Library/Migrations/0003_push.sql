-- Push wake-ups (off unless PUSH_ENABLED). A key's push token is registered by its app
-- (RegisterPushToken) and forgotten when the provider says it is dead, so nothing is pushed to it
-- again until the app registers a new one.
ALTER TABLE device_setting ADD COLUMN push_token text NOT NULL DEFAULT '';

-- At most one wake-up per key: the app reads its whole inbox when woken, so a wake-up already
-- waiting covers every message that lands before it is sent. A message landing while a wake-up
-- is being sent replaces it with a new one (new id, attempts from zero), so the app is woken again
-- after that message. state: pending (next_attempt_at says when; lease_token set while a worker
-- sends it), sent, failed (last_error says why). The row goes with the key's settings.
CREATE TABLE push_wakeup (
    device_id uuid PRIMARY KEY REFERENCES device_setting (device_id) ON DELETE CASCADE,
    id uuid NOT NULL,
    state text NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    lease_token uuid,
    last_error text NOT NULL DEFAULT '',
    sent_at timestamptz
);
CREATE INDEX push_wakeup_due ON push_wakeup (next_attempt_at) WHERE state = 'pending';
