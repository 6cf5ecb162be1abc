"""Browser tests: the built site in Debian's Chromium (pytest -m browser; make test-browser)."""
