#!/usr/bin/env bash
# make lock, for one environment: resolve requirements/<env>.in in a fresh virtualenv,
# then write every installed package's exact version and sha256 (scripts/lock.py).
#   scripts/lock.sh <python> <requirements .in> <lock file> "<environment's name>"
# Two kinds of line in the .in file change how it is resolved (reasons beside them):
#   # lock: past-requires-python <name>...  installed although its Requires-Python
#       excludes this Python, without its own dependencies; those are resolved with the rest
#   # lock: replace <name>==<version>...  taken instead of what such a package asks for
set -euo pipefail
cd "$(dirname "$0")/.."
python=$1 in=$2 lock=$3 name=$4
work=.lock-venv
rm -rf "$work"
"$python" -m venv "$work"
pip=("$work/bin/pip" --quiet --disable-pip-version-check)
"${pip[@]}" install "pip==24.0"
past=$("$work/bin/python" scripts/lock.py past "$in")
if [ -n "$past" ]; then
  # shellcheck disable=SC2086
  "${pip[@]}" install --no-deps --ignore-requires-python $past
fi
"$work/bin/python" scripts/lock.py requirements "$in" >"$work/requirements.in"
"${pip[@]}" install -r "$work/requirements.in"
"$work/bin/pip" freeze --all | grep -v '^pip==' >"$work/frozen.txt"
"${pip[@]}" install --dry-run --ignore-installed --no-deps --ignore-requires-python \
  --report "$work/report.json" -r "$work/frozen.txt"
"$work/bin/python" scripts/lock.py lock "$work/report.json" \
  "Exact versions and hashes of the $name, from $in. Regenerate: make lock" >"$lock"
"$work/bin/python" scripts/lock.py check "$in"
rm -rf "$work"
echo "Wrote $lock ($(grep -c '==' "$lock") packages)"
