#!/usr/bin/env bash
# Runs the whole system on this machine (README "run the whole system"): installs what is missing,
# builds, keeps a private PostgreSQL cluster and everything else in .data/ of the checkout (kept
# between runs), gives each service its own database role and schema, migrates, starts
# device-registry, preferences, bok and the gateway as separate processes on loopback, seeds demo
# data through the real APIs on first run and prints the portal's address and how to use it.
# Ctrl-C stops everything. Logs of every process are in .data/logs/.
#
# Environment: MK_PG_PORT (default 55499), MK_SMTP_PORT (2525), MK_SMS_PORT (8025), LOG_LEVEL,
# MK_RPC_PLAINTEXT=1 (no development CA; plaintext RPC on loopback). The launcher is
# scripts/launcher.py (shared with the system tests in Tests/System).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh

mk_install_packages
mk_install_python_packages
for product in device-registry preferences bok gateway mk-simulator; do
    swift build --product "$product"
done
bin=$(swift build --show-bin-path)
exec python3 scripts/launcher.py run --bin "$bin" --data "$(pwd)/.data" "$@"
