"""Benchmark citizens written straight into the services' migrated schemas (registry, preferences).

Pairing thousands of keys through the gateway would take the simulator's round trips and the
gateway's per-address pairing limits; the benchmarks need only what pairing leaves behind. So, in
one transaction each: `registry.subject` + `registry.device` rows (active keys with a dummy
65-byte public key), and the matching `preferences.citizen` (e-mail and phone, so informative
notices go to every channel) + `preferences.device_setting` rows (informative and login notices
on), exactly the rows DevicePaired would have created. Values travel as psql variables, never
spliced into SQL text.
"""

from __future__ import annotations

SEED_SQL = r"""
BEGIN;
INSERT INTO registry.subject (subject, first_seen_at)
SELECT :'prefix' || lpad(n::text, 6, '0'), now() FROM generate_series(1, :citizens) AS n;
INSERT INTO registry.device (id, subject, device_name, model, platform, app_version, public_key, push_token,
                             default_name, paired_at)
SELECT gen_random_uuid(), s.subject, 'Telefon ' || k, 'Bench Phone', 1, '1.0.0',
       decode('04' || repeat('11', 64), 'hex'), '', 'Telefon ' || k, now() - make_interval(secs => k)
FROM registry.subject AS s CROSS JOIN generate_series(1, :keys) AS k
WHERE s.subject LIKE :'prefix' || '%';
INSERT INTO preferences.citizen (subject, email, phone, updated_at)
SELECT subject, replace(subject, '-', '.') || '@example.cz', '+420777' || right(subject, 6), now()
FROM registry.subject WHERE subject LIKE :'prefix' || '%';
INSERT INTO preferences.device_setting (device_id, subject, display_name, name_at, informative, login, bok_pad,
                                        paired_at)
SELECT id, subject, default_name, paired_at, true, true, false, paired_at
FROM registry.device WHERE subject LIKE :'prefix' || '%';
COMMIT;
ANALYZE registry.subject, registry.device, preferences.citizen, preferences.device_setting;
"""

# One active key per citizen for the login events that name a key (means MOBILE_KEY).
FIRST_KEYS_SQL = r"""
SELECT DISTINCT ON (subject) subject, id FROM registry.device
WHERE subject LIKE :'prefix' || '%' ORDER BY subject, paired_at
"""


def subject_prefix(run: str) -> str:
    """Subjects are PREFIX000001 …; the prefix is unique per run."""
    return f"bench-{run}-"


def seed_citizens(postgres, run: str, citizens: int, keys: int) -> list[str]:
    """Seeds `citizens` × `keys`; returns each citizen's first key id, in subject order."""
    prefix = subject_prefix(run)
    postgres.psql(SEED_SQL, {"prefix": prefix, "citizens": str(citizens), "keys": str(keys)})
    rows = postgres.psql(FIRST_KEYS_SQL, {"prefix": prefix}).split()
    return [row.split("|")[1] for row in rows]
