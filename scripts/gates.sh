#!/usr/bin/env bash
# The gates that keep the code clean, with the versions pinned in pyproject.toml (dev extra):
# ruff (lint), mypy (strict for app/core, checked for app/ui and app/cli, cached) and vulture
# (dead code). .ci/run runs all of them; .pre-commit-config.yaml runs each by name.
# Usage: scripts/gates.sh [ruff|mypy|vulture]...   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
[ -d "$bin" ] || bin=.venv/Scripts  # Windows
[ "$#" -gt 0 ] || set -- ruff mypy vulture
for gate in "$@"; do
    case "$gate" in
        ruff) "$bin/ruff" check . ;;
        mypy) "$bin/mypy" ;;  # files and strictness: [tool.mypy] in pyproject.toml
        vulture) "$bin/vulture" ;;  # paths and the short whitelist: [tool.vulture]
        *) echo "unknown gate: $gate" >&2; exit 2 ;;
    esac
    echo "gate $gate: passed"
done
