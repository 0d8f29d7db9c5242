-- The key's platform from its DevicePaired event ('ANDROID', 'IOS'), so its wake-ups can go to the
-- platform's push service in that service's own format. '' for keys paired before this migration
-- and for any other platform: their wake-ups keep the APNs-style request at PUSH_URL.
ALTER TABLE device_setting ADD COLUMN platform text NOT NULL DEFAULT ''
    CHECK (platform IN ('', 'ANDROID', 'IOS'));
