#!/bin/sh
# Sets up everything the archive and its tests need on a fresh Debian/Ubuntu
# machine: Debian's Chromium and CJK fonts (the browser tests drive Chromium
# and take screenshots), Node's npm (to fetch axe-core, which the tests inject
# into pages), and a Python virtual environment in .venv with the archive and
# its test tools. Safe to run again.
set -eu
cd "$(dirname "$0")"

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
        echo "setup.sh: need root (or sudo) to install system packages: $*" >&2; return 1; fi
}

missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
[ -d /usr/share/fonts/opentype/noto ] || missing="$missing fonts-noto-cjk"
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
if [ -n "$missing" ]; then
    echo "installing Debian packages:$missing …"
    as_root apt-get update -qq
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
npm ci --no-audit --no-fund --loglevel=error
echo "setup done: .venv is ready; Chromium at /usr/bin/chromium; axe-core in node_modules/"
