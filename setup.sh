#!/bin/sh
# Sets up everything the archive needs on a fresh Debian/Ubuntu machine:
# a Python virtual environment in .venv with the archive and its test tools.
# Safe to run again.
set -eu
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
echo "setup done: .venv is ready"
