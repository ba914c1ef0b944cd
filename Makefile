# newsweave: `make demo` and `make test` set everything up on a fresh machine, then run.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# Every runtime and dev dependency, pinned with its sha256 hashes (pip-compile --generate-hashes): `make lock`.
LOCK   := requirements.lock

.PHONY: setup demo test audit lock lint typecheck bench clean chromium

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	# pip first, from the lock: the pip a new venv brings rejects the lock's extras under --require-hashes.
	sed -n '/^pip==/,/[^\\]$$/p' $(LOCK) > $(VENV)/pip.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r $(VENV)/pip.lock
	# Then everything, each file checked against its hash. torch is locked as 2.13.0+cpu with the hash of the
	# CPU wheel on disk, so no other torch can install (a bare "torch" would pull a multi-GB CUDA build).
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	# The project itself: nothing left to resolve, built by the locked setuptools.
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

setup: $(STAMP)

# Rewrite requirements.lock from pyproject.toml, keeping every pin already in it. To move a package:
# make lock UPGRADE='--upgrade-package NAME' (or NAME==VERSION); UPGRADE=--upgrade moves them all.
LOCKTOOLS := $(VENV)/lock-tools
lock:
	$(PYTHON) -m venv $(LOCKTOOLS)
	$(LOCKTOOLS)/bin/python -m pip install --quiet pip-tools==7.7.0
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCKTOOLS)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	  --extra dev --extra ray --no-strip-extras --no-emit-index-url --no-emit-find-links $(UPGRADE) --output-file $(LOCK) pyproject.toml

# pip-audit: every pin of the lock against PyPI's vulnerability feed (its per-release JSON API). --strict: a pin
# the feed cannot answer for fails the audit, so an unreachable or blocked feed never passes as clean. Local build
# labels go first (torch 2.13.0+cpu is audited as torch 2.13.0, the release PyPI knows).
# Not part of `make test`: on this project's machines and CI the per-release JSON API answers 404 to every
# request, so the audit fails there every time (docs/reliability.md, "Supply chain").
audit: $(STAMP)
	sed -E 's/^([A-Za-z0-9._-]+(\[[^]]*\])?==[^ +]+)\+[A-Za-z0-9.]+/\1/' $(LOCK) > $(VENV)/audit.lock
	$(BIN)/pip-audit --requirement $(VENV)/audit.lock --require-hashes --disable-pip --strict --progress-spinner off

demo: $(STAMP)
	$(BIN)/newsweave demo examples --published 2024-03-18 --out demo-output

# The story report's browser test opens the HTML in Debian's Chromium; install it where missing.
chromium:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; \
	  elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
	  else echo "chromium: not root and no sudo; install chromium and chromium-driver to run the browser test"; exit 0; fi; \
	  $$sudo apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	fi

test: $(STAMP) chromium
	$(BIN)/ruff check src tests bench tools
	$(BIN)/mypy src tools
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools

typecheck: $(STAMP)
	$(BIN)/mypy src tools

bench: $(STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/nlp.py
	$(BIN)/python bench/timex.py
	$(BIN)/python bench/quotes.py

clean:
	rm -rf $(VENV) demo-output .pytest_cache .mypy_cache .ruff_cache
