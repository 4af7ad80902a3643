#!/usr/bin/env bash
# Serves the demo clinic page with the chat widget on http://127.0.0.1:${DEMO_PORT:-8080}/,
# pointing the widget at the Rasa server on ${RASA_URL:-http://127.0.0.1:${RASA_PORT:-5005}}.
# Needs the built widget (widget/dist/clinic-chat.js: cd widget && npm ci && npm run build).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=.venv/bin/python
[ -x "$PYTHON" ] || PYTHON=python3
exec "$PYTHON" widget/serve_demo.py
