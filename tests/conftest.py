import pytest


@pytest.fixture
def update_examples(pytestconfig: pytest.Config) -> bool:
    """True under ``pytest --update-examples`` (the option comes from pytest-examples)."""
    return bool(pytestconfig.getoption("update_examples"))
