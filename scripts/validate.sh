#!/usr/bin/env bash
# rasa data validate --fail-on-warnings, made strict: Rasa 3.6 exits 0 on some of its
# own warnings (e.g. unused responses), and reports as unused both a form's
# utter_ask_<slot> responses (the form sends them) and the responses the channels send
# through Rasa's NLG themselves (domain/channels.yml, domain/service.yml, domain/takeover.yml), the health facts
# action_answer_health says by name (clinic/health_answers.py), the hello before an answer
# (clinic/conversation.py), and the intent
# other_language, which an NLU component sets (components/other_language.py) and no
# example teaches, and feedback_helpful / feedback_not_helpful, which only the buttons of
# "Was this helpful?" send (domain/feedback.yml). Any other warning fails.
set -uo pipefail
cd "$(dirname "$0")/.."
channel_sent=$( (grep -hoE '^  utter_[a-z_]+' domain/channels.yml domain/service.yml domain/takeover.yml | tr -d ' '; grep -hoE '"utter_[a-z_]+"' clinic/health_answers.py clinic/conversation.py | tr -d '"') | sort -u | paste -sd'|')
output=$(.venv/bin/rasa data validate --config config.yml --domain domain --data data --fail-on-warnings 2>&1)
status=$?
warnings=$(printf '%s\n' "$output" | grep -E "UserWarning|WARNING" | grep -vE "The utterance '(utter_ask_handoff_[a-z_]+|$channel_sent)' is not used in any story or rule" | grep -vE "The intent '(other_language|feedback_helpful|feedback_not_helpful)' is listed in the domain file, but is not found in the NLU training data" | grep -viE "deprecat|sqlalchemy")
if [ $status -ne 0 ] || [ -n "$warnings" ]; then
  printf '%s\n' "$output" | tail -40
  [ -n "$warnings" ] && printf '\nValidation warnings:\n%s\n' "$warnings"
  exit 1
fi
echo "Training data, domain and config are valid."
