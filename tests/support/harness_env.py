"""Environment variables that the harness sets for its own runs, and only for them.

The harness runs each example inside pytest (``support/examples.py``) and may set a
variable for those runs (``tests/conftest.py``: ``DS_ACCELERATOR=cpu`` on a machine
without a GPU). A plain run (``support/standalone.py``) is a reader's
``python examples/...``: it gets the environment that pytest started with, so a variable
the harness set is left out of it, and one the user had set before is kept. The names the
harness set travel in ``HARNESS_SET``, so that pytest-xdist's workers, which start with
the variable already set, know it is the harness's too.
"""

from __future__ import annotations

import os

HARNESS_SET = "EXAMPLES_HARNESS_SET"  # the names, separated by os.pathsep


def harness_set() -> list[str]:
    """The variables of this environment that the harness set, not the user."""
    return [name for name in os.environ.get(HARNESS_SET, "").split(os.pathsep) if name]


def set_for_harness(name: str, value: str) -> None:
    """``os.environ[name] = value`` for the harness's own runs, unless the user has set
    ``name``: then it stays as the user set it, in the plain runs too."""
    if name in os.environ:
        return
    os.environ[name] = value
    os.environ[HARNESS_SET] = os.pathsep.join([*harness_set(), name])


def readers_environment(leave_out: tuple[str, ...] = ()) -> dict[str, str]:
    """This environment as the reader's shell had it: without what the harness set,
    its record of it, pytest's own variables and the names in ``leave_out``."""
    harness = {*harness_set(), HARNESS_SET, *leave_out}
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("PYTEST_") and name not in harness
    }
