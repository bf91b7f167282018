# Two entry points for a fresh clone: `make run` and `make test`.
# Everything else here is what those two need.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test runtime setup lint synth bench soak clean

# The web app (web/web.mk) and the CDK app (infra/infra.mk) bring their own targets.
-include web/web.mk infra/infra.mk

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# What `make run` needs, from uv.lock: the service with its media and analysis extras, and
# Node.js (the `web` group) to build the web app. Inexact: after `make test` it removes
# nothing, so the two targets do not undo each other.
$(VENV)/.synced-runtime: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --inexact --no-default-groups --group web --extra media \
		--extra analysis --python $(PYTHON)
	touch $@

# What `make test` adds: the test tools (the `dev` group) and the CDK app (`infra`).
$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --all-extras --python $(PYTHON)
	touch $@ $(VENV)/.synced-runtime

runtime: $(VENV)/.synced-runtime
setup: $(VENV)/.synced

# Builds the web app first when the build is missing or older than its sources.
run: runtime web-build
	$(VENV)/bin/practika seed-demo --if-empty
	$(VENV)/bin/practika serve

# Lint, the Python suite (PostgreSQL tests must run: a missing server fails the suite
# instead of skipping it), the web app's unit tests, then the browser tests.
test: setup lint web-test
	$(WITH_NODE) PRACTIKA_REQUIRE_POSTGRES=1 $(VENV)/bin/pytest
	$(MAKE) web-e2e

# Benchmarks and the soak are not tests: long, and their figures go to docs/benchmarks.md.
bench: setup
	$(PY) -m bench.api
	$(PY) bench/media/bench_media.py --sizes 256M,2G --clip-seconds 10

soak: setup
	$(PY) -m bench.soak

lint: setup
	$(VENV)/bin/ruff check src tests bench infra
	$(VENV)/bin/ruff format --check src tests bench infra
	$(VENV)/bin/mypy src infra

clean:
	rm -rf $(VENV) $(TOOLS) var
