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
## The two builds run at the same time. The Japanese one cleans site/, so the English one
## builds into .cache/site-en/ and moves to site/en/ once both have passed; its log is
## printed after the Japanese one. A notebook executes only when what it depends on
## changed (hooks/notebooks.py); both languages share one measurement (.cache/measure/).
## SITE_URL=https://OWNER.github.io/REPO/ builds for hosting there (CI sets it for Pages);
## the English build gets SITE_URL + en/.
EN_STAGE := .cache/site-en
SITE_URL_EN = $(if $(strip $(SITE_URL)),$(patsubst %/,%,$(strip $(SITE_URL)))/en/)
build: $(INSTALLED)
	@rm -rf $(EN_STAGE) $(EN_STAGE).log; mkdir -p .cache
	@SITE_URL_EN="$(SITE_URL_EN)" $(BIN)/mkdocs build --strict --config-file mkdocs.en.yml --site-dir $(EN_STAGE) > $(EN_STAGE).log 2>&1 & en=$$!; \
	$(BIN)/mkdocs build --strict --config-file mkdocs.yml; ja=$$?; \
	wait $$en; en=$$?; echo "--- English build (mkdocs.en.yml):"; cat $(EN_STAGE).log; \
	if [ $$ja -ne 0 ] || [ $$en -ne 0 ]; then echo "build failed: Japanese exit $$ja, English exit $$en"; exit 1; fi; \
	rm -rf site/en && mv $(EN_STAGE) site/en

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
