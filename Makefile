# Everything runs in .venv, installed from requirements.txt (the pinned versions).
# Re-running a target is fast: the install step only runs again when requirements.txt changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: install test build serve serve-ja serve-en update-examples lock clean install-browser test-browser \
	test-torch test-vision wheelhouse test-offline

# Test processes: the suite runs in parallel (pytest-xdist); `make test JOBS=0` runs it in one.
JOBS ?= 2
# Each test process computes on nproc/JOBS threads: torch starts one thread per core in every
# process, and two processes on two cores would each wait for the other's threads.
ifneq ($(filter-out 0 auto logical,$(JOBS)),)
test test-torch test-vision test-offline: export OMP_NUM_THREADS := $(shell n=$$(( $$(nproc) / $(JOBS) )); echo $$(( n > 0 ? n : 1 )))
endif

install: $(INSTALLED)

$(INSTALLED): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --requirement requirements.txt
	touch $@

## Run every example on every device present, the page checks and the harness checks.
test: $(INSTALLED)
	$(BIN)/python -m pytest -n $(JOBS)

## Strict build of both languages into site/ (Japanese at the root, English under /en/).
## The two builds run at the same time. The Japanese one cleans site/, so the English one
## builds into .cache/site-en/ and moves to site/en/ once both have passed; its log is
## printed after the Japanese one. A notebook executes only when what it depends on
## changed (hooks/notebooks.py); both languages share one measurement (.cache/measure/).
## SITE_URL=https://OWNER.github.io/REPO/ builds for hosting there (CI sets it for Pages);
## the English build gets SITE_URL + en/.
## Nothing to do when nothing the build reads has changed since the last successful one
## (tools/site_inputs.py: every source file, SITE_URL, the installed packages, the device);
## FORCE=1 builds anyway.
EN_STAGE := .cache/site-en
SITE_RECORD := .cache/site.inputs
SITE_URL_EN = $(if $(strip $(SITE_URL)),$(patsubst %/,%,$(strip $(SITE_URL)))/en/)
build: $(INSTALLED)
	@export SITE_URL_EN="$(SITE_URL_EN)"; \
	if [ -z "$(FORCE)" ] && $(BIN)/python tools/site_inputs.py check $(SITE_RECORD); then \
		echo "site/ is up to date: nothing it is built from has changed (make build FORCE=1 builds anyway)"; exit 0; fi; \
	rm -rf $(EN_STAGE) $(EN_STAGE).log $(SITE_RECORD); mkdir -p .cache; \
	inputs=$$($(BIN)/python tools/site_inputs.py digest) || exit 1; \
	$(BIN)/mkdocs build --strict --config-file mkdocs.en.yml --site-dir $(EN_STAGE) > $(EN_STAGE).log 2>&1 & en=$$!; \
	$(BIN)/mkdocs build --strict --config-file mkdocs.yml; ja=$$?; \
	wait $$en; en=$$?; echo "--- English build (mkdocs.en.yml):"; cat $(EN_STAGE).log; \
	if [ $$ja -ne 0 ] || [ $$en -ne 0 ]; then echo "build failed: Japanese exit $$ja, English exit $$en"; exit 1; fi; \
	rm -rf site/en && mv $(EN_STAGE) site/en && echo "$$inputs" > $(SITE_RECORD)

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

## Rewrite the #> lines of every example from a real run on the CPU, and format them
## (in one process: two processes would rewrite the same file); redraw the pictures of
## the autograd graph (docs/*/assets/graphs/) from a CPU run.
update-examples: $(INSTALLED)
	$(BIN)/python -m pytest tests/test_examples.py tests/test_graphs.py --update-examples -q

## Re-pin requirements.txt from what is installed in .venv.
lock: $(INSTALLED)
	{ sed -n '1,2p' requirements.txt; $(BIN)/pip freeze --exclude-editable | sed 's/+cpu$$//'; } > requirements.lock.tmp
	mv requirements.lock.tmp requirements.txt

## The whole suite against another torch release, in its own venv (.venv-torch-RELEASE:
## requirements.txt with torch replaced), then a record of the run in versions/verified.jsonl
## that the pages' "verified with" sections are generated from: for each example, the sha256
## of what ran and its outcome on each device. The release must be listed in
## versions/torch-releases.txt. Extra pip arguments: TORCH_PIP_ARGS="--extra-index-url ...".
## PIP_CONSTRAINT=/dev/null: a machine-wide pip constraint must not cap the release asked for.
## TORCH_VENV=PATH runs in an existing venv instead (another checkout's .venv-torch-RELEASE):
## nothing is installed into it. Either way the venv must hold exactly requirements.txt with
## torch==RELEASE (versions/verified_releases.py venv), checked before the suite runs.
TORCH ?=
TORCH_PIP_ARGS ?=
TORCH_VENV ?=
RELEASES := versions/torch-releases.txt
RECORD := versions/verified_releases.py
PIN := $(shell sed -n 's/^torch==//p' requirements.txt)
# The pin runs in .venv itself; any other release in a venv of its own.
OWN_TORCH_VENV = $(if $(filter $(PIN),$(TORCH)),$(VENV),.venv-torch-$(TORCH))
TORCH_BIN = $(or $(TORCH_VENV),$(OWN_TORCH_VENV))/bin
test-torch:
	@test -n "$(TORCH)" || { echo "Usage: make test-torch TORCH=RELEASE, one of: $$(grep -v '^#' $(RELEASES) | xargs)" >&2; exit 2; }
	@grep -qx '$(TORCH)' $(RELEASES) || { echo "$(RELEASES):1: torch $(TORCH) is not listed; add it there first (the site claims exactly the releases listed)." >&2; exit 2; }
ifeq ($(strip $(TORCH_VENV)),)
	$(MAKE) --no-print-directory $(OWN_TORCH_VENV)/.installed
else
	@test -x $(TORCH_VENV)/bin/python || { echo "TORCH_VENV=$(TORCH_VENV): there is no $(TORCH_VENV)/bin/python; give the folder of an existing venv (make test-torch TORCH=$(TORCH) without TORCH_VENV creates one here)." >&2; exit 2; }
endif
	$(TORCH_BIN)/python $(RECORD) venv $(TORCH)
	$(call run-and-record,$(TORCH_BIN)/python,--expect $(TORCH))

.venv-torch-%/.installed: requirements.txt
	$(PYTHON) -m venv .venv-torch-$*
	sed 's/^torch==.*/torch==$*/' requirements.txt > .venv-torch-$*/requirements.txt
	PIP_CONSTRAINT=/dev/null .venv-torch-$*/bin/python -m pip install --quiet \
		--requirement .venv-torch-$*/requirements.txt $(TORCH_PIP_ARGS)
	touch $@

## The examples that need torchvision (the line `# requires: torchvision`: examples/detection/).
## torchvision's wheels load only beside the index's CUDA build of torch, not the CPU build
## pinned in requirements.txt, so they run in .venv-vision: requirements.txt with
## torch==$(VISION_TORCH) (that CUDA build, ~5.5 GB; it runs on the CPU too) plus
## torchvision==$(TORCHVISION), installed once (again when requirements.txt changes). Their
## tests (-m torchvision: test_output on every device present, test_standalone,
## test_expected_errors, test_error_index, test_lint, test_portable) run there, and the run
## is recorded in versions/verified.jsonl with the torchvision version and the messages each
## example showed. `make test`, which skips their runs, fails until an example as it is now
## has a passing record (test_library_record), and checks the error index against the
## recorded messages.
VISION_TORCH := 2.14.1
TORCHVISION := 0.29.1
VISION := .venv-vision
test-vision: $(VISION)/.installed
	$(VISION)/bin/python $(RECORD) venv $(VISION_TORCH) --with torchvision==$(TORCHVISION)
	$(call run-and-record,$(VISION)/bin/python,--expect $(VISION_TORCH) --with torchvision==$(TORCHVISION),-m torchvision tests/test_examples.py)

$(VISION)/.installed: requirements.txt
	$(PYTHON) -m venv $(VISION)
	{ sed 's/^torch==.*/torch==$(VISION_TORCH)/' requirements.txt; echo torchvision==$(TORCHVISION); } \
		> $(VISION)/requirements.txt
	$(VISION)/bin/python -m pip install --quiet --requirement $(VISION)/requirements.txt
	touch $@

# Run the suite with python $(1) on every device present, record the result (arguments $(2)),
# and fail if the suite failed. $(3): pytest arguments that choose the tests (all unless given).
define run-and-record
	junit=$$(mktemp); $(1) -m pytest -n $(JOBS) --junitxml=$$junit $(3); status=$$?; \
	$(1) $(RECORD) record $$junit $(2) || exit $$?; rm -f $$junit; exit $$status
endef

## Wheels of everything in requirements.txt except torch (and its CUDA packages), for an
## offline install on a machine that already has torch: make wheelhouse PYTHON_VERSION=3.12
## Give that machine's exact version (`python3 -V`, e.g. 3.11.7): "3.11" means 3.11.0, and
## some pinned packages need a later 3.11.x.
PYTHON_VERSION ?= $(shell $(PYTHON) -c 'import platform; print(platform.python_version())')
WHEELHOUSE ?= wheelhouse/py$(word 1,$(subst ., ,$(PYTHON_VERSION))).$(word 2,$(subst ., ,$(PYTHON_VERSION)))
MANYLINUX := $(foreach n,17 24 27 28 31 34 35 39,--platform manylinux_2_$(n)_x86_64) \
	--platform manylinux2014_x86_64 --platform manylinux1_x86_64 --platform any
wheelhouse: requirements.txt
	mkdir -p $(WHEELHOUSE)
	grep -v -E '^(torch==|triton==|nvidia-|cuda-)' requirements.txt > $(WHEELHOUSE)/requirements.txt
	$(PYTHON) -m pip download --quiet --only-binary=:all: --no-deps --implementation cp \
		--python-version $(PYTHON_VERSION) $(MANYLINUX) \
		--dest $(WHEELHOUSE) --requirement $(WHEELHOUSE)/requirements.txt
	@echo "$(WHEELHOUSE): $$(ls $(WHEELHOUSE)/*.whl | wc -l) wheels, $$(du -sh $(WHEELHOUSE) | cut -f1)"

## Offline, against the torch that TORCH_PYTHON already has (a GPU machine's own build):
## a venv (.venv-offline) that sees TORCH_PYTHON's packages, the rest installed from the
## wheelhouse with no index, then the whole suite on every device present, and a record.
## --no-deps: requirements.txt pins every dependency already, and torch's own needs
## (setuptools, the CUDA packages) are TORCH_PYTHON's, not the wheelhouse's.
TORCH_PYTHON ?= python3
OFFLINE := .venv-offline
test-offline:
	@$(TORCH_PYTHON) -W ignore -c 'import torch' || { echo "$(TORCH_PYTHON) has no torch: set TORCH_PYTHON to the python that has it." >&2; exit 2; }
	$(eval OFFLINE_VERSION := $(shell $(TORCH_PYTHON) -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")'))
	@test -f wheelhouse/py$(OFFLINE_VERSION)/requirements.txt || { echo "wheelhouse/py$(OFFLINE_VERSION)/ is missing: run 'make wheelhouse PYTHON_VERSION=$(OFFLINE_VERSION)' where pip can reach an index, and copy wheelhouse/ here." >&2; exit 2; }
	rm -rf $(OFFLINE)
	$(TORCH_PYTHON) -m venv $(OFFLINE)
	$(TORCH_PYTHON) -W ignore -c 'import os, torch; print(os.path.dirname(os.path.dirname(torch.__file__)))' \
		> $$($(OFFLINE)/bin/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/installed-torch.pth
	env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 $(OFFLINE)/bin/python -m pip install --quiet --no-index --no-deps \
		--find-links wheelhouse/py$(OFFLINE_VERSION) --requirement wheelhouse/py$(OFFLINE_VERSION)/requirements.txt
	$(call run-and-record,$(OFFLINE)/bin/python,)

clean:
	rm -rf site .cache
