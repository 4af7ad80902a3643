#!/usr/bin/env bash
# Starts the action server and the Rasa server on localhost (embedded defaults:
# SQLite tracker store in var/, in-process lock store). `run.sh shell` chats in the
# terminal instead of serving channels.
set -euo pipefail
cd "$(dirname "$0")/.."
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
export CONSOLE_PORT=${CONSOLE_PORT:-5080}
DEMO_PORT=${DEMO_PORT:-8080}
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2
source deploy/limits.env
export LOG_MAX_BYTES LOG_BACKUPS
# Conversations, requests and logs in var/ are for this user only (files 0600, folders 0700).
umask 077
mkdir -p var
# A server's output, scrubbed and rotated (clinic/log_files.py), into var/<name>.log.
log_to() { .venv-actions/bin/python -m clinic.log_files "var/$1.log"; }

SANIC_HOST=127.0.0.1 .venv-actions/bin/python -m rasa_sdk --actions actions --port "$ACTIONS_PORT" --logging-config_file deploy/logging.yml > >(log_to actions) 2>&1 &
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null || true' EXIT INT TERM
.venv-actions/bin/python -m handoff.cli migrate >/dev/null
for _ in $(seq 1 60); do
  curl -fsS "http://localhost:$ACTIONS_PORT/health" >/dev/null 2>&1 && break
  kill -0 $actions_pid 2>/dev/null || { echo "The action server failed to start; see var/actions.log" >&2; exit 1; }
  sleep 0.5
done

if [ "${1:-}" = "shell" ]; then
  .venv/bin/rasa shell --model models/clinic.tar.gz --endpoints endpoints.yml
  exit
fi

.venv-actions/bin/python -m console > >(log_to console) 2>&1 &
console_pid=$!
# The demo clinic page with the chat widget (widget/dist/clinic-chat.js, built by make run).
RASA_URL="http://127.0.0.1:$RASA_PORT" DEMO_PORT="$DEMO_PORT" scripts/serve-demo.sh > >(log_to demo) 2>&1 &
demo_pid=$!
trap 'kill $actions_pid $console_pid $demo_pid 2>/dev/null || true' EXIT INT TERM

cat <<MSG
Starting the clinic assistant (this takes about 20 seconds)...
  Rasa server:    http://localhost:$RASA_PORT   (REST and socket.io channels)
  Action server:  http://localhost:$ACTIONS_PORT (log: var/actions.log)
  Demo page:      http://127.0.0.1:$DEMO_PORT/   (a clinic page with the chat widget; log: var/demo.log)
  Staff console:  http://localhost:$CONSOLE_PORT (log: var/console.log; create an account: make staff-user NAME=you)
Talk to it, once "Rasa server is up and running" appears:
  curl -s -X POST http://localhost:$RASA_PORT/webhooks/rest/webhook \\
       -H 'Content-Type: application/json' -d '{"sender": "visitor-1", "message": "what is tui na?"}'
  or, in another terminal: make shell
Stop with Ctrl-C.
MSG
# CREDENTIALS=var/credentials.yml serves the messaging channels too (README "Messaging channels").
# Rasa's Sanic refuses larger bodies with 413 (not the action server's: Rasa sends it the
# whole conversation, which can be larger for a long one).
# Rasa's HTTP API (/model/parse, trackers, model replacement) is off: nothing at run time
# needs it. RASA_API_TOKEN=<long random secret> turns it on behind that token.
api_args=()
if [ -n "${RASA_API_TOKEN:-}" ]; then api_args=(--enable-api --auth-token "$RASA_API_TOKEN"); fi
SANIC_REQUEST_MAX_SIZE=$REQUEST_MAX_BYTES .venv/bin/rasa run --model models/clinic.tar.gz --endpoints endpoints.yml --credentials "${CREDENTIALS:-credentials.yml}" \
  --interface 127.0.0.1 --port "$RASA_PORT" --logging-config-file deploy/logging.yml "${api_args[@]}" --cors "http://127.0.0.1:$DEMO_PORT" "http://localhost:$DEMO_PORT"
