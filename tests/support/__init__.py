"""Helpers shared by the test modules: examples (find, run, check) and pages (parse, check)."""
