#!/usr/bin/env bash
# Debian packages the widget's browser tests need: Debian's chromium, driven by
# Playwright (never `playwright install`, which downloads a browser build of its own).
# Idempotent: does nothing when /usr/bin/chromium is already there.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "Debian's chromium is missing and this user is not root: run as root" \
       "'apt-get update && apt-get install -y chromium'" >&2
  exit 1
fi

echo "Installing Debian's chromium for the widget's browser tests..."
"${SUDO[@]}" apt-get update
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y chromium
