"""The strict build refuses what would publish a wrong page: these run real, tiny builds."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from support.examples import ROOT

# Never --quiet: it hides the warnings that --strict counts, so broken links would pass.
MKDOCS = [sys.executable, "-m", "mkdocs", "build", "--strict"]


def build(tmp_path: Path, pages: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Build ``pages`` with the site's own configuration (inherited), in ``tmp_path``."""
    docs = tmp_path / "docs"
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    (tmp_path / "examples").symlink_to(ROOT / "examples")  # includes resolve from here
    (tmp_path / "hooks").symlink_to(ROOT / "hooks")  # mkdocs.yml names it
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        textwrap.dedent(
            f"""
            INHERIT: {ROOT / "mkdocs.yml"}
            docs_dir: {docs}
            site_dir: {tmp_path / "site"}
            theme:
              custom_dir: {ROOT / "overrides"}
            plugins:
              mkdocs-jupyter:
                cache_dir: {tmp_path / "cache"}
            nav: [{", ".join(pages)}]
            """
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [*MKDOCS, "--config-file", str(config)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )


HOME = "# Home { #home }\n"


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            '```python title="examples/answer/missing.py"\n--8<-- "examples/answer/missing.py"\n```\n',
            "examples/answer/missing.py",
        ),
        (
            '```python title="examples/answer/dropout.py"\n--8<-- "examples/answer/dropout.py:nope"\n```\n',
            "nope",
        ),
        ("[broken](nowhere.md)\n", "nowhere.md"),
        ("[broken](#no-such-anchor)\n", "no-such-anchor"),
    ],
    ids=["missing-include", "missing-section", "broken-link", "missing-anchor"],
)
def test_strict_build_fails(tmp_path: Path, page: str, expected: str) -> None:
    result = build(tmp_path, {"index.md": HOME + "\n" + page})
    assert result.returncode != 0, "the strict build passed a broken page"
    assert expected in result.stderr + result.stdout


def test_notebook_cell_that_raises_fails_the_build(tmp_path: Path) -> None:
    notebook = '# %%\nprint("fine")\n\n# %%\nraise ValueError("this cell fails")\n'
    result = build(tmp_path, {"index.md": HOME, "notebook.py": notebook})
    assert result.returncode != 0, "a notebook cell raised and the build passed"
    assert "this cell fails" in result.stderr + result.stdout


def test_good_page_builds(tmp_path: Path) -> None:
    page = '```python title="examples/answer/dropout.py"\n--8<-- "examples/answer/dropout.py"\n```\n'
    result = build(tmp_path, {"index.md": HOME + "\n" + page})
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Dropout is switched off by eval() only" in html
