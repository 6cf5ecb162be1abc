import pytest


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
