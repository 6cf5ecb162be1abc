import gc

import pytest
import torch
from xdist.scheduler import LoadScopeScheduling

from support.harness_env import set_for_harness
from support.work_groups import work_group

# DeepSpeed (pinned for the engines page) logs "Setting accelerator to CPU. If you have GPU
# or other accelerator, we were unable to detect it." to stdout in every process that
# imports it on a machine without an accelerator; transformers imports it when it saves a
# model or builds a Trainer. Naming the accelerator keeps that line out of the harness's
# own runs of the examples. It is the harness's, not the reader's: the plain runs
# (test_standalone) leave it out unless it was set before pytest started
# (support/harness_env.py), so an example that a reader's run would make DeepSpeed print
# in must silence it itself. On a GPU DeepSpeed logs nothing.
if not torch.cuda.is_available():
    set_for_harness("DS_ACCELERATOR", "cpu")


@pytest.fixture
def update_examples(pytestconfig: pytest.Config) -> bool:
    """True under ``pytest --update-examples`` (the option comes from pytest-examples)."""
    return bool(pytestconfig.getoption("update_examples"))


def pytest_configure(config: pytest.Config) -> None:
    # Two processes would rewrite the same example file (test_output and test_lint).
    if config.getoption("update_examples", False) and config.getoption(
        "numprocesses", None
    ):
        raise pytest.UsageError(
            "--update-examples rewrites the example files: run it in one process, "
            "without -n (make update-examples does)."
        )


class WorkGroupScheduling(LoadScopeScheduling):
    """pytest-xdist's scope scheduling, with our work groups as the scopes."""

    def _split_scope(self, nodeid: str) -> str:
        return work_group(nodeid)


@pytest.hookimpl(optionalhook=True)  # without xdist (-p no:xdist) it is not a hook
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """Under ``-n``: each work group (support/work_groups.py) runs in one process."""
    return WorkGroupScheduling(config, log)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave the objects of the run out of the interpreter's last garbage collection.

    At exit Python collects every object still alive; after the examples have imported
    torch, Dynamo, Lightning and Transformers that takes 2-3 s in each process, to free
    memory the operating system takes back anyway. Objects are still released by their
    reference counts, and atexit handlers (temporary directories) still run.
    """
    gc.freeze()
