#!/usr/bin/env bash
# Installs what is missing and starts the app in demo mode (a local emulator, nothing sent to Cloudflare).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh run
exec .venv/bin/livestream-companion --demo "$@"
