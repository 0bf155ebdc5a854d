# Two commands matter: `make run` and `make test`. Everything else is a step they depend on.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
GW_VENV := .venv-gateway
TOOLS := .venv-tools/bin
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONDONTWRITEBYTECODE := 1
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# Every Rasa command run from here: no telemetry (the environment overrides Rasa's own config).
export RASA_TELEMETRY_ENABLED := false
# make run PROFILE=production: PostgreSQL + Redis, 2 Rasa replicas, 2 gateway processes (docs/operations.md).
PROFILE ?= dev
RASA_DATA := data/nlu data/stories data/rules
CATALOGUE := $(wildcard data/catalogue/services/*.yml) data/catalogue/responsibility.yml
NLU_FILES := $(wildcard data/nlu/*.yml)

.PHONY: run test setup venv spacy nlu-generated train validate eval review purge publish lint unit rasa-validate rasa-test-stories \
        rasa-test-nlu conversation-suite quality-goals eval-search browser-setup browser-test clean help gateway-venv audit \
        lock-gateway deploy-setup bench bench-smoke

help:
	@echo "make run   - set up what is missing, train if the data changed, start everything on localhost"
	@echo "make test  - the full test suite"

# --- setup ---------------------------------------------------------------------------------------
$(VENV)/.installed: requirements.txt requirements/dev.txt requirements.lock pyproject.toml scripts/bootstrap.sh
	scripts/bootstrap.sh
	@touch $@

venv: $(VENV)/.installed

# The public gateway's own environment (Python 3.12/3.13, requirements/gateway.lock with hashes) and
# the tools environment for its lock and audit.
$(GW_VENV)/.installed: requirements/gateway.lock requirements/tools.txt scripts/bootstrap_gateway.sh
	scripts/bootstrap_gateway.sh
	@touch $@

gateway-venv: $(GW_VENV)/.installed

build/spacy_de/bot_source.json: $(VENV)/.installed bot/nlp_setup.py
	$(PY) -m bot.nlp_setup

spacy: build/spacy_de/bot_source.json

data/nlu/generated/lookups.yml: $(VENV)/.installed $(CATALOGUE) data/places/aliases.yml bot/nlu_data.py
	$(PY) -m bot.nlu_data --out data/nlu/generated

nlu-generated: data/nlu/generated/lookups.yml

setup: venv gateway-venv spacy nlu-generated

# --- model ---------------------------------------------------------------------------------------
train: setup
	$(PY) -m bot.train

# --- run -----------------------------------------------------------------------------------------
run: train
	$(PY) -m bot.stack --profile $(PROFILE)

# --- staff workflow ------------------------------------------------------------------------------
# Messages the assistant did not understand in the last 7 days (personal data masked).
review: setup
	$(PY) -m bot.cli review --since 7d

# Delete conversations older than the retention period (30 days); run daily (cron).
purge: venv
	$(PY) -m bot.cli purge

# Train, evaluate against the floors and load the new model into every Rasa replica of the running
# system (the secret and the replica URLs come from build/run/, written by `make run`).
publish: setup
	$(PY) -m bot.cli publish

# Regenerate the gateway's lock (newest releases, with hashes) after editing requirements/gateway.in.
lock-gateway: gateway-venv
	$(TOOLS)/pip-compile -q --upgrade --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	  --no-emit-find-links -o requirements/gateway.lock requirements/gateway.in

# --- benchmark -----------------------------------------------------------------------------------
# This assistant side by side with stock Rasa (`rasa init`, cached per version) at 1/10/20/50 concurrent
# citizens: msg/s, latency, errors, RSS -> reports/bench.json. Not a gate (shared machines are noisy).
bench: train
	$(PY) scripts/bench.py

# A few seconds of the default profile (1 and 5 citizens), so that the benchmark cannot rot (part of `make test`).
bench-smoke: train
	$(PY) scripts/bench.py --smoke

# --- tests ---------------------------------------------------------------------------------------
# Known vulnerabilities in the public gateway's lock fail the build.
audit: gateway-venv
	$(TOOLS)/python scripts/audit_gateway.py

# Debian's nginx/openssl/systemd-analyze for tests/deploy (the units and the TLS proxy example).
deploy-setup:
	scripts/setup_deploy_test.sh

lint: venv
	$(VENV)/bin/ruff check bot actions tests scripts

unit: setup
	$(PY) -m pytest -q -m "not browser and not slow"

rasa-validate: setup
	$(PY) -m bot.rasa_validate

# Our checks (catalogue, examples, responses, AGS, held-out sets) plus Rasa's validation.
validate: setup
	$(PY) -m bot.cli validate

# Evaluation report (reports/eval/report.md) compared with the previous one; fails below the F1 floors.
eval: train
	$(PY) -m bot.cli eval

rasa-test-stories: train
	$(PY) -m bot.rasa_tests stories

rasa-test-nlu: train
	$(PY) -m bot.rasa_tests nlu

# Typed multi-turn conversations (tests/conversations) against the real stack; fails below 95 % of turns.
conversation-suite: train
	$(PY) scripts/conversation_suite.py

eval-search: setup
	$(PY) scripts/place_coverage.py
	$(PY) scripts/zustaendigkeit_coverage.py
	$(PY) scripts/eval_search.py tests/eval/service_queries.yml --min-top1 0.80 --min-top3 0.90 --min-no-match 0.90

browser-setup: venv
	scripts/setup_browser.sh

# Browser tests and the other slow ones: supervision (kill children), production profile (2 replicas on
# PostgreSQL + Redis), systemd units, nginx with TLS.
browser-test: train browser-setup deploy-setup
	$(PY) -m pytest -q -m "browser or slow"

# The goals of issue 9 (suite 95 % of turns, every e2e story, intent F1 0.90, search 'no good match' 90 %)
# are not all met yet: `make test` prints each goal and fails on a regression against the committed
# comparison values (tests/eval/baseline.json, bot/staff/goals.py); `make quality-goals` enforces the goals.
test: export QUALITY_GOALS = report
test: lint audit unit eval-search validate train rasa-test-stories conversation-suite eval bench-smoke browser-test
	@echo "All test stages passed."

quality-goals: export QUALITY_GOALS = enforce
quality-goals: eval-search train
	$(PY) -m bot.rasa_tests stories
	$(PY) scripts/conversation_suite.py
	$(PY) -m bot.cli eval

clean:
	rm -rf build models data/nlu/generated results test-artifacts .pytest_cache
