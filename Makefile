# Clinic enquiry assistant. `make run` to start it, `make test` to test everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help

RASA := .venv/bin/rasa
PYTEST := .venv/bin/python -m pytest
ACTIONS_PYTEST := .venv-actions/bin/python -m pytest
MODEL := models/clinic.tar.gz
NLU_TESTING_MODEL := models/clinic-nlu-testing.tar.gz
TRAINING_INPUTS := config.yml $(wildcard domain/*.yml) $(shell find data -name '*.yml' 2>/dev/null) $(wildcard clinic/triage/corpus/*.yml) \
  $(wildcard components/*.py) clinic/triage/learned.py
WIDGET_JS := widget/dist/clinic-chat.js
WIDGET_INPUTS := widget/build.mjs widget/package.json widget/package-lock.json $(wildcard widget/src/*) content/clinic_details.yml
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: help setup train run run-scale shell test lint validate test-python test-actions test-stories bench profile loadtest lock clean staff-user purge content-export content-import review-export review-check widget system-packages

help:
	@echo "make run    - set up, train if needed, start the assistant (Rasa :5005, actions :5055)"
	@echo "make run-scale N=2 - the scale profile: N Rasa + N action servers behind nginx, PostgreSQL, Redis"
	@echo "make shell  - chat with the assistant in this terminal"
	@echo "make test   - every test (lint, validation, pytest, test stories, NLU evaluation)"
	@echo "make lint   - ruff check and ruff format --check"
	@echo "make train  - train the model if data, config or domain changed"
	@echo "make bench  - latency, throughput, memory and training time, against the stock config"
	@echo "make profile - flame graph and top-20 table of the Rasa server on the bench conversation"
	@echo "make loadtest - load test: embedded default vs the scale profile with 1 and 2 instances"
	@echo "make staff-user NAME=alice [DO=disable|enable|reset|revoke|safety-officer|no-safety-officer] - create or change a staff console account"
	@echo "make purge  - erase handoffs and conversations unchanged for RETENTION_DAYS (default 365)"
	@echo "make content-export [OUT=file.yml] - the live clinic details, in the layout of content/clinic_details.yml"
	@echo "make content-import FILE=file.yml AUTHOR=alice [DRY_RUN=1] - draft the file's changed details for approval"
	@echo "make review-export [OUT=file.yml] - the review queue's labelled messages, anonymised, into data/nlu/reviewed.yml"
	@echo "make review-check - store whether the trained model now gets each labelled message right"

setup:
	@scripts/setup.sh

# Retrains only when training data, config or domain are newer than the model.
$(MODEL): $(TRAINING_INPUTS) | setup
	$(RASA) train --config config.yml --domain domain --data data --out models --fixed-model-name clinic

# The same pipeline without the FallbackClassifier, so evaluation measures the classifier.
$(NLU_TESTING_MODEL): config_nlu_testing.yml $(TRAINING_INPUTS) | setup
	$(RASA) train nlu --config config_nlu_testing.yml --domain domain --nlu data/nlu --out models --fixed-model-name clinic-nlu-testing

train: setup $(MODEL)

# The website chat widget: exact packages from widget/package-lock.json, bundled by esbuild.
widget/node_modules/.package-lock.json: widget/package.json widget/package-lock.json
	cd widget && npm ci --ignore-scripts --no-audit --no-fund

$(WIDGET_JS): widget/node_modules/.package-lock.json $(WIDGET_INPUTS)
	cd widget && npm run build

widget: $(WIDGET_JS)

# Debian's chromium (browser tests) and nginx (scale profile), installed only if missing.
system-packages:
	@scripts/install-system-packages.sh

# Action server, staff console, demo page and Rasa server on localhost (deploy/run.py;
# command lines from deploy/commands.py, settings from clinic/settings.py).
run: setup $(MODEL) $(WIDGET_JS)
	@.venv-actions/bin/python -m deploy.run

# DATABASE_URL (PostgreSQL) and REDIS_URL from the environment; see README "Scale profile".
N ?= 2
run-scale: setup system-packages $(MODEL)
	@.venv/bin/python -m deploy.scale --instances $(N)

shell: setup $(MODEL)
	@.venv-actions/bin/python -m deploy.run shell

validate: setup
	scripts/validate.sh

# ruff (pyproject.toml [tool.ruff]): lint and formatting, the whole tree.
lint: setup
	.venv-actions/bin/ruff check .
	.venv-actions/bin/ruff format --check .

# Tests of code that runs on the action server's Python 3.12 (actions, handoff store,
# staff console) run there; everything else in the Rasa environment.
ACTIONS_TESTS := tests/actions tests/handoff $(wildcard tests/console)

test-python: setup system-packages $(MODEL) $(NLU_TESTING_MODEL) $(WIDGET_JS)
	$(PYTEST) tests $(addprefix --ignore=,$(ACTIONS_TESTS))

test-actions: setup system-packages widget/node_modules/.package-lock.json $(MODEL)  # axe-core for the browser tests; the takeover tests run the assistant
	$(ACTIONS_PYTEST) $(ACTIONS_TESTS)

test-stories: setup $(MODEL)
	$(RASA) test core --model $(MODEL) --stories tests/stories --fail-on-prediction-errors --e2e --out reports/stories --no-plot

test: lint validate test-actions test-python test-stories
	@echo "All tests passed."

# Staff accounts and data retention (see README "Staff console").
staff-user: setup
	@test -n "$(NAME)" || { echo "Usage: make staff-user NAME=alice [DO=disable|enable|reset|revoke|safety-officer|no-safety-officer]  (STAFF_PASSWORD=... to set the password)"; exit 1; }
	@.venv-actions/bin/python -m handoff.cli staff-user "$(NAME)" $(if $(DO),--$(DO))

purge: setup
	@.venv-actions/bin/python -m handoff.cli purge

# Clinic details in and out of the content store (docs/content-approval.md): an import only drafts.
content-export: setup
	@.venv-actions/bin/python -m handoff.cli content-export $(if $(OUT),--out "$(OUT)")

content-import: setup
	@test -n "$(FILE)" -a -n "$(AUTHOR)" || { echo "Usage: make content-import FILE=details.yml AUTHOR=alice [DRY_RUN=1]"; exit 1; }
	@.venv-actions/bin/python -m handoff.cli content-import "$(FILE)" --author "$(AUTHOR)" $(if $(DRY_RUN),--dry-run)

# The console's review queue into training data, and the model's answers back (docs/review-queue.md).
review-export: setup
	@.venv/bin/python -m scripts.review export $(if $(OUT),--out "$(OUT)")

review-check: setup $(MODEL)
	@.venv/bin/python -m scripts.review check --model $(MODEL)

bench: setup $(MODEL)
	.venv/bin/python -m scripts.bench $(ONLY)

# Where the Rasa server spends its time (py-spy): reports/profile.svg and reports/profile.md.
profile: setup $(MODEL)
	.venv/bin/python -m scripts.profile

# A benchmark, not a test: bounded load on loopback; writes reports/loadtest.md.
loadtest: setup system-packages $(MODEL)
	.venv/bin/python -m scripts.loadtest $(LOADTEST_ARGS)

# Re-resolve the lock files after changing requirements/*.in.
lock:
	scripts/lock.sh .venv/bin/python requirements/rasa.in requirements/rasa.lock "Rasa environment"
	scripts/lock.sh .venv-actions/bin/python requirements/actions.in requirements/actions.lock "action server environment"

clean:
	rm -rf models reports var .rasa widget/dist artifacts
