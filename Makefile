# The one entry point: `make run` starts the bot, `make test` proves it works.
# Everything installs itself on first use (Python 3.10 venv, spaCy pipeline,
# trained model); later runs reuse what is up to date.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
RASA := $(BIN)/rasa
MODEL := models/current.tar.gz
SPACY_PIPELINE := build/spacy_da
RASA_PORT ?= 5005
ACTIONS_PORT ?= 5055

# Rasa 3.6 runs on Python <= 3.10: find a 3.10 on PATH or under pyenv.
PYTHON310 := $(shell for p in python3.10 $$(pyenv root 2>/dev/null)/versions/3.10*/bin/python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1 && { echo "$$p"; break; }; done)

# No telemetry, no TensorFlow chatter, no downloads.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONDONTWRITEBYTECODE := 1
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

TRAINING_INPUTS := config.yml domain.yml $(sort $(shell find data -name '*.yml')) \
	$(sort $(shell find assistant knowledge -name '*.py')) $(SPACY_PIPELINE)/meta.json
# Changes only when the content of a training input changes (not its mtime), so
# an edit made while a model is training still triggers the next training.
INPUTS_HASH := models/.training-inputs.sha256

.PHONY: FORCE help install run shell actions train validate lint format test test-stories clean lock browser evaluate article-sentences bench \
	npm feedback-report test-security forget log-reference purge \
	services docker-daemon image cluster cluster-stop test-scale

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt
	@if [ -z "$(PYTHON310)" ]; then \
		echo "Python 3.10 is needed (Rasa 3.6 does not run on newer Pythons)."; \
		echo "Install it, e.g. 'pyenv install 3.10' or 'apt-get install python3.10 python3.10-venv', then run make again."; \
		exit 1; fi
	@[ -x $(BIN)/python ] || $(PYTHON310) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip<25"
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

install: $(BIN)/.installed ## Create .venv and install the pinned dependencies

$(SPACY_PIPELINE)/meta.json: $(BIN)/.installed scripts/build_spacy_pipeline.py
	$(BIN)/python scripts/build_spacy_pipeline.py $(SPACY_PIPELINE)

$(INPUTS_HASH): FORCE $(SPACY_PIPELINE)/meta.json
	@mkdir -p models
	@cat $(TRAINING_INPUTS) | sha256sum > $@.new
	@if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi

# Rasa's training cache sees the code each project component runs and the
# spaCy pipeline's files (assistant/fingerprint.py, assistant/nlu/spacy_pipeline.py),
# so a direct `rasa train` is as safe as this.
$(MODEL): $(BIN)/.installed $(INPUTS_HASH)
	$(RASA) train --fixed-model-name current --out models
	@touch $@

train: $(MODEL) ## Train the model if data, domain or config changed

validate: $(BIN)/.installed ## Check the training data and domain
	$(BIN)/python scripts/validate.py

run: $(MODEL) ## Start the action server and the bot (REST on 127.0.0.1:5005)
	@RASA_PORT=$(RASA_PORT) ACTIONS_PORT=$(ACTIONS_PORT) scripts/run.sh server

shell: $(MODEL) ## Talk to the bot in the terminal (with the action server)
	@RASA_PORT=$(RASA_PORT) ACTIONS_PORT=$(ACTIONS_PORT) scripts/run.sh shell

actions: $(BIN)/.installed ## Start only the action server (127.0.0.1 unless ACTION_SERVER_HOST)
	$(BIN)/python -m scripts.action_server --port $(ACTIONS_PORT) --actions actions

lint: $(BIN)/.installed ## ruff and mypy on the project's Python code
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(BIN)/.installed ## Format the Python code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

evaluate: $(MODEL) ## Answer quality: held-out sets, 3 pipelines, cross-validation -> reports/nlu.md (~2 min)
	$(BIN)/python -m evaluation.evaluate

article-sentences: $(BIN)/.installed ## The source article in numbered sentences -> source/article_sentences.yml
	$(BIN)/python -m scripts.article_sentences

bench: services $(MODEL) ## Speed and cost against the rasa init peer, the cluster and retention -> reports/bench.md (~9 min)
	$(BIN)/python -m bench.run

test-stories: $(MODEL) ## Run the test conversations against the trained model
	$(BIN)/python -m assistant.server.launch test core --model $(MODEL) --stories tests/test_stories.yml \
		--fail-on-prediction-errors --out reports/test-stories

# The browser tests drive Debian's chromium (Playwright never downloads one).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; fi

browser: $(CHROMIUM) ## Install Chromium for the browser tests (Debian package)

# --- issue 12: the widget's browser-test tools and the feedback report ----------
# axe-core (accessibility checks) and rasa-webchat 1.0.1 (the tested alternative
# client), pinned in package-lock.json and installed exactly as locked. Only the
# browser tests use them; the widget itself has no dependencies.
NODE_MODULES := node_modules/.package-lock.json
$(NODE_MODULES): package.json package-lock.json
	@command -v npm >/dev/null || { if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	else echo "The browser tests need npm: sudo apt-get install npm"; exit 1; fi; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

npm: $(NODE_MODULES) ## Install the browser tests' npm packages (axe-core, rasa-webchat)

feedback-report: $(BIN)/.installed ## Answers that got a thumbs-down and questions that were asked back, newest first
	@SQLALCHEMY_SILENCE_UBER_WARNING=1 $(BIN)/python -m scripts.feedback_report

test: lint validate services $(MODEL) $(CHROMIUM) $(NODE_MODULES) ## Validate, train, and run every test
	mkdir -p var
	$(BIN)/pytest
	$(MAKE) --no-print-directory test-stories

# --- Privacy and security (issue 10; SECURITY.md) ---------------------------
# Ownership of widget conversations, CORS, the locked API, no pickles, bad
# input at scale, load without cross-talk, erasure and retention, quiet logs;
# then the attack corpus (tests/attack) against the whole deployment behind
# HAProxy, which writes reports/security.md.
test-security: $(BIN)/.installed $(MODEL) $(CHROMIUM) services ## Only the privacy and security tests, and the attack corpus (~5 min)
	mkdir -p var reports
	$(BIN)/pytest tests/unit/test_user_input.py tests/unit/test_server_settings.py tests/unit/test_launch.py \
		tests/unit/test_widget_auth.py tests/unit/test_retention.py \
		tests/unit/test_admission.py tests/unit/test_action_safety_net.py \
		tests/unit/test_linear_classifier.py tests/unit/test_web_widget.py \
		tests/unit/test_log_privacy.py tests/unit/test_constant_time_tokens.py \
		tests/unit/test_rest_channel.py \
		tests/messaging/test_whatsapp_signature.py tests/messaging/test_platform_ids.py \
		tests/security tests/browser/test_widget_privacy.py
	SECURITY_REPORT=reports/security.md $(BIN)/pytest tests/attack

forget: $(BIN)/.installed ## Delete one conversation: make forget SENDER=<conversation id>
	@if [ -z "$(SENDER)" ]; then echo "Name the conversation: make forget SENDER=<id>"; exit 2; fi
	@SQLALCHEMY_SILENCE_UBER_WARNING=1 $(BIN)/python -m assistant.stores.retention forget "$(SENDER)"

log-reference: $(BIN)/.installed ## A conversation's reference in the logs: make log-reference SENDER=<conversation id>
	@if [ -z "$(SENDER)" ]; then echo "Name the conversation: make log-reference SENDER=<id>"; exit 2; fi
	@$(BIN)/python -m assistant.stores.log_privacy "$(SENDER)"

purge: $(BIN)/.installed ## Delete conversations with nothing new for RETENTION_DAYS (default 30)
	@SQLALCHEMY_SILENCE_UBER_WARNING=1 $(BIN)/python -m assistant.stores.retention purge

lock: $(BIN)/.installed ## Re-pin requirements.txt from requirements.in
	$(BIN)/pip install --quiet -r requirements.in
	@# --all: setuptools and wheel too (Rasa needs them at run time; the images
	@# install every wheel from build/wheels); pip itself stays unpinned.
	$(BIN)/pip freeze --all --exclude-editable | grep -v '^pip==' > requirements.txt

clean: ## Remove trained models, Rasa's training cache and build output (keeps .venv and var/)
	rm -rf models build .rasa reports/test-stories screenshots node_modules .pytest_cache .mypy_cache .ruff_cache

# --- Deployment (issue 11): PostgreSQL + Redis + HAProxy cluster, container images ---
# The services come from Debian's packages and run on 127.0.0.1 ports in folders
# of their own, started and stopped by the tests or `make cluster`, never as
# system services. Root installs them (CI runs as root); anyone else gets a hint.
DOCKER := /usr/bin/docker
DEPLOY_TOOLS := redis-server:/usr/bin/redis-server haproxy:/usr/sbin/haproxy \
	docker.io:/usr/sbin/dockerd docker-compose:/usr/bin/docker-compose debootstrap:/usr/sbin/debootstrap
CLUSTER_PORT ?= 8005
WHEELS := build/wheels/MANIFEST.sha256

services: ## Install PostgreSQL, Redis, HAProxy, Docker, debootstrap (Debian packages)
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	for tool in $(DEPLOY_TOOLS); do [ -x "$${tool#*:}" ] || missing="$$missing $${tool%%:*}"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing$$missing (Debian packages)"; \
			apt-get -o DPkg::Lock::Timeout=600 update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
				--no-install-recommends $$missing >/dev/null; \
		else echo "The cluster needs Debian packages: sudo apt-get install$$missing"; exit 1; fi; fi

# dockerd without bridge or iptables: every container runs with host networking.
docker-daemon: services ## Start the Docker daemon if it is not running (root)
	@if ! $(DOCKER) info >/dev/null 2>&1; then \
		mkdir -p var; echo "starting dockerd (log: var/dockerd.log)"; \
		setsid dockerd --bridge=none --iptables=false >var/dockerd.log 2>&1 < /dev/null & \
		echo $$! > var/dockerd.pid; \
		for i in $$(seq 60); do $(DOCKER) info >/dev/null 2>&1 && exit 0; sleep 1; done; \
		echo "dockerd did not start; see var/dockerd.log"; exit 1; fi

# Every pin of requirements.txt as a wheel, for the image builds, which reach
# nothing but these on 127.0.0.1; each image's install is resolved from them
# alone before Docker runs, and their manifest is part of the install step's
# cache key (deploy/wheels.sh).
$(WHEELS): requirements.txt requirements.in deploy/wheels.sh | $(BIN)/.installed
	deploy/wheels.sh $(BIN)/pip

image: docker-daemon $(MODEL) $(WHEELS) ## Build the images (FRESH_IMAGES=1: from nothing, as on a new machine)
	PYTHON310=$(PYTHON310) DOCKER=$(DOCKER) FRESH_IMAGES=$(FRESH_IMAGES) deploy/build-images.sh

cluster: services $(MODEL) ## Start PostgreSQL, Redis, HAProxy, 2 Rasa servers, the action server (127.0.0.1:8005)
	$(BIN)/python -m harness.cluster up --port $(CLUSTER_PORT)

cluster-stop: ## Stop exactly what `make cluster` started
	$(BIN)/python -m harness.cluster down

test-scale: services $(MODEL) image ## Cluster under load and failures, lock race, container smoke test (~8 min)
	$(BIN)/pytest tests/scale
