#!/usr/bin/env bash
# Debian packages the tests and the scale profile need:
#   chromium  the widget's and console's browser tests, driven by Playwright (never
#             `playwright install`, which downloads a browser build of its own);
#   nginx     the scale profile's front door (make run-scale, tests/scale).
# Idempotent: installs only what is missing. Does not start nginx as a system service.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "Missing Debian packages (${missing[*]}) and this user is not root: run as root" \
       "'apt-get update && apt-get install -y ${missing[*]}'" >&2
  exit 1
fi

echo "Installing Debian packages: ${missing[*]} ..."
"${SUDO[@]}" apt-get update
# RUNLEVEL=1 keeps Debian's scripts from starting the system-wide nginx on port 80.
RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y "${missing[@]}"
