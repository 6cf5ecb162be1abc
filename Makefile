# Everything runs in .venv, installed from requirements.txt (the pinned versions).
# Re-running a target is fast: the install step only runs again when requirements.txt changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: install test build serve serve-ja serve-en update-examples lock clean install-browser test-browser

install: $(INSTALLED)

$(INSTALLED): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --requirement requirements.txt
	touch $@

## Run every example on every device present, the page checks and the harness checks.
test: $(INSTALLED)
	$(BIN)/python -m pytest

## Strict build of both languages into site/ (Japanese at the root, English under /en/).
build: $(INSTALLED)
	$(BIN)/mkdocs build --strict --config-file mkdocs.yml
	$(BIN)/mkdocs build --strict --config-file mkdocs.en.yml

## Debian's Chromium and a Japanese font for the browser tests (apt-get, once; no
## browser download). The stamp is redone whenever the browser is missing.
CHROMIUM ?= /usr/bin/chromium
BROWSER_STAMP := $(VENV)/.browser-installed
install-browser: $(BROWSER_STAMP)
$(BROWSER_STAMP): tests/browser/install-browser.sh | $(INSTALLED)
	bash tests/browser/install-browser.sh $(CHROMIUM)
	touch $@
ifeq ($(wildcard $(CHROMIUM)),)
.PHONY: $(BROWSER_STAMP)
endif

## Build the site, then drive it in Chromium (both languages): every page loads
## offline without errors, search, language switch, copy buttons, the comparison
## table's links and its phone layout, accessibility. Screenshots go to artifacts/.
test-browser: $(INSTALLED) install-browser build
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -m browser tests/browser

## Build both languages, then serve site/ on http://127.0.0.1:8000/ (Ctrl-C to stop).
serve: build
	@echo "Serving http://127.0.0.1:8000/ (English: http://127.0.0.1:8000/en/)"
	$(BIN)/python -m http.server --directory site --bind 127.0.0.1 8000

## Live-reloading preview of one language while writing (no language switch).
serve-ja: $(INSTALLED)
	$(BIN)/mkdocs serve --config-file mkdocs.yml
serve-en: $(INSTALLED)
	$(BIN)/mkdocs serve --config-file mkdocs.en.yml

## Rewrite the #> lines of every example from a real run on the CPU, and format them;
## redraw the pictures of the autograd graph (docs/*/assets/graphs/) from a CPU run.
update-examples: $(INSTALLED)
	$(BIN)/python -m pytest tests/test_examples.py tests/test_graphs.py --update-examples -q

## Re-pin requirements.txt from what is installed in .venv.
lock: $(INSTALLED)
	{ sed -n '1,2p' requirements.txt; $(BIN)/pip freeze --exclude-editable | sed 's/+cpu$$//'; } > requirements.lock.tmp
	mv requirements.lock.tmp requirements.txt

clean:
	rm -rf site .cache
