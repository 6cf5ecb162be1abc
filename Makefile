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
## SITE_URL=https://OWNER.github.io/REPO/ builds for hosting there (CI sets it for Pages);
## the English build gets SITE_URL + en/.
build: $(INSTALLED)
	$(BIN)/mkdocs build --strict --config-file mkdocs.yml
	SITE_URL_EN="$(if $(strip $(SITE_URL)),$(patsubst %/,%,$(strip $(SITE_URL)))/en/)" \
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

## Build the site for hosting under a sub-path (SITE_URL, an example Pages address unless
## set), serve it there and drive it in Chromium (both languages): every page loads
## offline without errors, search, language switch, copy buttons, the comparison
## table's links, tables at desktop and phone widths, accessibility, the 404 page,
## sitemap, canonical and hreflang links. Screenshots go to artifacts/.
EXAMPLE_SITE_URL := https://example.github.io/torch-grad-switches-guide/
test-browser: export SITE_URL := $(or $(strip $(SITE_URL)),$(EXAMPLE_SITE_URL))
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

## Rewrite the #> lines of every example from a real run on the CPU, and format them.
update-examples: $(INSTALLED)
	$(BIN)/python -m pytest tests/test_examples.py --update-examples -q

## Re-pin requirements.txt from what is installed in .venv.
lock: $(INSTALLED)
	{ sed -n '1,2p' requirements.txt; $(BIN)/pip freeze --exclude-editable | sed 's/+cpu$$//'; } > requirements.lock.tmp
	mv requirements.lock.tmp requirements.txt

clean:
	rm -rf site .cache
