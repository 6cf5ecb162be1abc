"""Which tests must share one process under pytest-xdist (``make test`` runs two).

The scheduler in ``tests/conftest.py`` sends a work group to one worker as a whole; the
largest groups (by number of tests) go out first. Groups follow what is expensive to do
twice:

- ``examples/<topic>``: the examples of one topic (``test_output``, and
  ``test_error_index``, which reads the run ``test_output`` made in the same process).
  A topic's heavy imports happen once: Lightning, Transformers and PEFT (libraries),
  Dynamo's warm-up (compiled), the forkserver of the two-rank examples
  (training_stack). An example of another topic that calls ``torch.compile`` runs with
  the compiled ones.
- ``standalone``: every plain run (``test_standalone``, and the tests of
  ``tests/test_harness.py`` with ``plain_run`` in their name), forked from one server
  that imports torch once (``support/standalone.py``).
- a test module other than ``tests/test_examples.py``: its module-scoped fixtures run once
  (``tests/test_build.py`` builds its tiny sites in one mkdocs process).
- anything else is a group of its own, to fill the gaps.

pytest-xdist's own ``--dist loadgroup`` would do the second from ``xdist_group`` marks,
but under pytest 9 it silently does nothing: it renames ``item._nodeid``, which pytest 9
no longer reads (``Node.nodeid`` comes from ``item._id``). Grouping by node id here works
with any version of either.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_EXAMPLE_RUN = re.compile(
    r"^tests/test_examples\.py::test_(output|error_index)"
    r"\[(?P<path>(?P<topic>examples/[^/\]]+)/[^/\]]+\.py)[-\]]"
)
_STANDALONE = re.compile(
    r"^tests/(test_examples\.py::test_standalone\[|test_harness\.py::test_\w*plain_run)"
)
COMPILED = "examples/compiled"
STANDALONE = "standalone"


def work_group(nodeid: str) -> str:
    """The work group of the test ``nodeid`` (a node id as pytest prints it)."""
    if _STANDALONE.match(nodeid):
        return STANDALONE
    match = _EXAMPLE_RUN.match(nodeid)
    if match:
        source = (ROOT / match["path"]).read_text(encoding="utf-8")
        return COMPILED if "torch.compile(" in source else match["topic"]
    module = nodeid.split("::", 1)[0]
    if module != "tests/test_examples.py" and "::" in nodeid:
        return module
    return nodeid
