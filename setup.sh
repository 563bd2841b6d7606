#!/bin/sh
# Sets up everything the archive and its tests need on a fresh Debian/Ubuntu
# machine: Debian's Chromium (for the browser tests) and a Python virtual
# environment in .venv with the archive and its test tools. Safe to run again.
set -eu
cd "$(dirname "$0")"

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
        echo "setup.sh: need root (or sudo) to install system packages: $*" >&2; return 1; fi
}

if [ ! -x /usr/bin/chromium ]; then
    echo "installing Debian's chromium (browser tests drive it with Playwright) …"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
echo "setup done: .venv is ready, Chromium at /usr/bin/chromium"
