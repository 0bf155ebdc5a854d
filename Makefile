# Two commands matter: `make run` and `make test`. Everything else is a step they depend on.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONDONTWRITEBYTECODE := 1
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
RASA_DATA := data/nlu data/stories data/rules
CATALOGUE := $(wildcard data/catalogue/services/*.yml) data/catalogue/responsibility.yml
NLU_FILES := $(wildcard data/nlu/*.yml)

.PHONY: run test setup venv spacy nlu-generated train validate eval review purge publish lint unit rasa-validate rasa-test-stories \
        rasa-test-nlu eval-search browser-setup browser-test clean help

help:
	@echo "make run   - set up what is missing, train if the data changed, start everything on localhost"
	@echo "make test  - the full test suite"

# --- setup ---------------------------------------------------------------------------------------
$(VENV)/.installed: requirements.txt requirements.lock pyproject.toml scripts/bootstrap.sh
	scripts/bootstrap.sh
	@touch $@

venv: $(VENV)/.installed

build/spacy_de/bot_source.json: $(VENV)/.installed bot/nlp_setup.py
	$(PY) -m bot.nlp_setup

spacy: build/spacy_de/bot_source.json

data/nlu/generated/lookups.yml: $(VENV)/.installed $(CATALOGUE) data/places/aliases.yml bot/nlu_data.py
	$(PY) -m bot.nlu_data --out data/nlu/generated

nlu-generated: data/nlu/generated/lookups.yml

setup: venv spacy nlu-generated

# --- model ---------------------------------------------------------------------------------------
train: setup
	$(PY) -m bot.train

# --- run -----------------------------------------------------------------------------------------
run: train
	$(PY) -m bot.stack

# --- staff workflow ------------------------------------------------------------------------------
# Messages the assistant did not understand in the last 7 days (personal data masked).
review: setup
	$(PY) -m bot.cli review --since 7d

# Delete conversations older than the retention period (30 days); run daily (cron).
purge: venv
	$(PY) -m bot.cli purge

# Train, evaluate against the floors and load the new model into the running system (needs RASA_TOKEN
# of the running stack: `make run` prints it).
publish: setup
	$(PY) -m bot.cli publish

# --- tests ---------------------------------------------------------------------------------------
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

eval-search: setup
	$(PY) scripts/place_coverage.py
	$(PY) scripts/zustaendigkeit_coverage.py
	$(PY) scripts/eval_search.py tests/eval/service_queries.yml --min-top1 0.75 --min-top3 0.82

browser-setup: venv
	scripts/setup_browser.sh

browser-test: train browser-setup
	$(PY) -m pytest -q -m "browser or slow"

test: lint unit eval-search validate train rasa-test-stories eval browser-test
	@echo "All test stages passed."

clean:
	rm -rf build models data/nlu/generated results test-artifacts .pytest_cache
