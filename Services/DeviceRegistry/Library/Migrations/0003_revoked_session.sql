-- Portal sessions signed out before their absolute end. The gateway keeps sessions in sealed
-- cookies only; this table lets every gateway replica refuse a signed-out session's cookie. A row
-- is useless once expires_at (the session's absolute end) has passed and is purged by the next
-- revocation. The subject is part of the key, so one citizen's revoked id never affects another's.
CREATE TABLE revoked_session (
    session_id uuid NOT NULL,
    subject text NOT NULL,
    revoked_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (session_id, subject)
);
CREATE INDEX revoked_session_expires ON revoked_session (expires_at);
