-- The hourly quota's counter is spread over slot rows so that concurrent notifications of one
-- authority do not queue on a single row lock held until each commit's WAL flush: a call bumps one
-- slot (chosen at random, AUTHORITY_QUOTA_SLOTS of them) and checks the sum of the window's slots.
-- The existing counts become slot 0 of their window.
ALTER TABLE authority_quota ADD COLUMN slot smallint NOT NULL DEFAULT 0 CHECK (slot >= 0);
ALTER TABLE authority_quota DROP CONSTRAINT authority_quota_pkey;
ALTER TABLE authority_quota ADD PRIMARY KEY (authority_id, window_start, slot);
