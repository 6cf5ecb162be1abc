"""`make build` does nothing only when nothing the build reads has changed."""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import types
from pathlib import Path

import pytest

from support.examples import ROOT


@functools.cache
def site_inputs() -> types.ModuleType:
    """tools/site_inputs.py, loaded once (it caches what it reads of the machine)."""
    spec = importlib.util.spec_from_file_location(
        "site_inputs", ROOT / "tools/site_inputs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """tools/site_inputs.py looking at a small copy of the project in ``tmp_path``."""
    module = site_inputs()
    for folder in module.FOLDERS:
        (tmp_path / folder).mkdir()
    for name in module.FILES:
        (tmp_path / name).write_text(f"{name}\n", encoding="utf-8")
    shutil.copy(ROOT / "hooks/notebooks.py", tmp_path / "hooks/notebooks.py")
    (tmp_path / "docs/index.md").write_text("# Home\n", encoding="utf-8")
    for name in module.BUILT:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("<html></html>\n", encoding="utf-8")
    monkeypatch.setattr(module, "ROOT", tmp_path)
    for name in module.VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return module


def test_same_inputs_same_digest(inputs, tmp_path: Path) -> None:
    before = inputs.digest()
    page = tmp_path / "docs/index.md"
    os.utime(page, (0, 0))  # a new modification time, the same content
    assert inputs.digest() == before


@pytest.mark.parametrize(
    "change",
    ["page", "new example", "hook", "config", "site url", "bytecode only"],
)
def test_a_changed_input_changes_the_digest(
    inputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    before = inputs.digest()
    if change == "page":
        (tmp_path / "docs/index.md").write_text("# Home, edited\n", encoding="utf-8")
    elif change == "new example":
        (tmp_path / "examples/new.py").write_text("print(1)\n", encoding="utf-8")
    elif change == "hook":
        (tmp_path / "hooks/new.py").write_text("x = 1\n", encoding="utf-8")
    elif change == "config":
        (tmp_path / "mkdocs.en.yml").write_text("site_name: x\n", encoding="utf-8")
    elif change == "site url":
        monkeypatch.setenv("SITE_URL", "https://example.github.io/guide/")
    elif change == "bytecode only":  # not an input: the digest must stay
        cache = tmp_path / "examples/__pycache__"
        cache.mkdir()
        (cache / "new.cpython-311.pyc").write_bytes(b"\0")
        assert inputs.digest() == before
        return
    assert inputs.digest() != before


def test_check_needs_the_record_and_both_languages(inputs, tmp_path: Path) -> None:
    record = tmp_path / "site.inputs"
    assert not inputs.up_to_date(record), "no record yet"
    record.write_text(inputs.digest() + "\n", encoding="utf-8")
    assert inputs.up_to_date(record)
    (tmp_path / "site/en/index.html").unlink()
    assert not inputs.up_to_date(record), "the English site is missing"
