#!/usr/bin/env bash
# Runs every test: installs what is missing, starts a private PostgreSQL cluster on loopback in a
# temporary folder, checks that the generated protocol code is current, runs `swift test`, and
# stops the cluster even when the tests fail.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
source scripts/lib/postgres.sh

mk_install_packages
mk_install_python_packages

work=$(mktemp -d /tmp/mk-test.XXXXXX)
chmod 755 "$work"
cleanup() { mk_pg_stop "$work/pgdata"; rm -rf "$work"; }
trap cleanup EXIT

MK_PG_FSYNC=off mk_pg_start "$work/pgdata"
export MK_TEST_DATABASE_URL=$MK_PG_ADMIN_URL
echo "PostgreSQL for tests: $MK_TEST_DATABASE_URL"

proto/generate.sh --check

swift build --build-tests
python3 Tests/Deploy/check_deploy.py "$(swift build --show-bin-path)"
swift test --skip-build "$@"
[ -n "${MK_SKIP_SYSTEM_TESTS:-}" ] || python3 Tests/System/run.py "$(swift build --show-bin-path)"
