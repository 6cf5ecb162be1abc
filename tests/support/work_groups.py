"""Which tests must share one process under pytest-xdist (``make test`` runs two).

The scheduler in ``tests/conftest.py`` sends a work group to one worker as a whole; the
largest groups (by number of tests) go out first. Groups follow what is expensive to do
twice:

- ``examples/<topic>``: the examples of one topic (``test_output``). A topic's heavy
  imports happen once: Lightning, Transformers and PEFT (libraries), Dynamo's warm-up
  (compiled), the forkserver of the two-rank examples (training_stack). An example of
  another topic that calls ``torch.compile`` runs with the compiled ones.
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
_EXAMPLE_OUTPUT = re.compile(
    r"^tests/test_examples\.py::test_output\[(?P<path>(?P<topic>examples/[^/\]]+)/[^/\]]+\.py)-"
)
COMPILED = "examples/compiled"


def work_group(nodeid: str) -> str:
    """The work group of the test ``nodeid`` (a node id as pytest prints it)."""
    match = _EXAMPLE_OUTPUT.match(nodeid)
    if match:
        source = (ROOT / match["path"]).read_text(encoding="utf-8")
        return COMPILED if "torch.compile(" in source else match["topic"]
    module = nodeid.split("::", 1)[0]
    if module != "tests/test_examples.py" and "::" in nodeid:
        return module
    return nodeid
