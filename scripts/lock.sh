#!/usr/bin/env bash
# make lock, for one environment: resolve requirements/<env>.in in a fresh virtualenv,
# then write every installed package's exact version and sha256 (scripts/lock.py).
#   scripts/lock.sh <python> <requirements .in> <lock file> "<environment's name>"
set -euo pipefail
cd "$(dirname "$0")/.."
python=$1 in=$2 lock=$3 name=$4
work=.lock-venv
rm -rf "$work"
"$python" -m venv "$work"
"$work/bin/pip" install --quiet --disable-pip-version-check "pip==24.0"
"$work/bin/pip" install --quiet --disable-pip-version-check -r "$in"
"$work/bin/pip" freeze --all | grep -v '^pip==' >"$work/frozen.txt"
"$work/bin/pip" install --quiet --disable-pip-version-check --dry-run --ignore-installed --no-deps \
  --report "$work/report.json" -r "$work/frozen.txt"
"$work/bin/python" scripts/lock.py "$work/report.json" \
  "Exact versions and hashes of the $name, from $in. Regenerate: make lock" >"$lock"
rm -rf "$work"
echo "Wrote $lock ($(grep -c '==' "$lock") packages)"
