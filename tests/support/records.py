"""``versions/verified_releases.py`` for the tests (a mkdocs hook file, not a package).

It defines the run records, the hook that turns them into each page's table, and the
digest of what an example's run depends on, which ``test_output`` leaves in the JUnit file
for the record.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).resolve().parents[2] / "versions" / "verified_releases.py"

verified_releases = sys.modules.get("verified_releases")
if verified_releases is None:
    _spec = importlib.util.spec_from_file_location("verified_releases", _PATH)
    verified_releases = importlib.util.module_from_spec(_spec)
    sys.modules["verified_releases"] = verified_releases  # dataclasses look it up
    _spec.loader.exec_module(verified_releases)
