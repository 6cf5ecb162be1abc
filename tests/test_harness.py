"""The harness fails when it should, says where, and leaves no state behind."""

import random
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import test_examples
import torch
from ruff.__main__ import find_ruff_bin

from support.examples import (
    ROOT,
    ExampleError,
    devices_for,
    format_source,
    output_drift,
    required_device,
    run_example,
    skip_reason,
)
from support.pages import (
    fence_problems,
    orphan_problems,
    parse_page,
    table_link_problems,
    twin_problems,
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_failing_assert_names_file_and_line(tmp_path: Path) -> None:
    example = write(
        tmp_path / "examples/bad/failing_assert.py",
        """
        import torch

        torch.manual_seed(0)
        x = torch.ones(2)
        assert x.sum() == 3, "two ones do not sum to three"
        """,
    )
    with pytest.raises(ExampleError) as raised:
        run_example(example, "cpu")
    message = str(raised.value)
    assert "failing_assert.py:5: AssertionError on cpu" in message
    assert "two ones do not sum to three" in message


def test_exception_in_a_function_names_the_calling_line(tmp_path: Path) -> None:
    example = write(
        tmp_path / "examples/bad/raises.py",
        """
        def boom():
            raise ValueError("no")


        boom()
        """,
    )
    with pytest.raises(ExampleError, match=r"raises\.py:2: ValueError on cpu: no"):
        run_example(example, "cpu")


def test_drifted_output_names_file_and_line(tmp_path: Path) -> None:
    example = write(
        tmp_path / "examples/bad/drift.py",
        """
        print(1 + 1)
        #> 3
        """,
    )
    recorded = example.read_text()
    drift = output_drift(example, recorded, run_example(example, "cpu"), "cpu")
    assert drift is not None
    assert "drift.py:2: the #> output recorded in the file differs" in drift
    assert "-#> 3" in drift and "+#> 2" in drift
    assert "make update-examples" in drift


def test_update_is_idempotent(tmp_path: Path) -> None:
    example = write(
        tmp_path / "examples/ok/update.py",
        """
        import torch
        torch.manual_seed(0)
        print("sum:", torch.ones(3).sum().item())
        #> stale
        """,
    )
    first = format_source(run_example(example, "cpu"), example)
    example.write_text(first)
    second = format_source(run_example(example, "cpu"), example)
    assert first == second
    assert "#> sum: 3.0" in first  # the #> line survives ruff format
    assert output_drift(example, first, run_example(example, "cpu"), "cpu") is None


def test_examples_cannot_leak_state(tmp_path: Path) -> None:
    example = write(
        tmp_path / "examples/leaky/state.py",
        """
        import random

        import torch

        torch.set_grad_enabled(False)
        torch.set_num_threads(1)
        torch.set_default_dtype(torch.float64)
        torch.manual_seed(123)
        random.seed(123)
        """,
    )
    threads = torch.get_num_threads()
    main = sys.modules.get("__main__")
    torch_rng, python_rng = torch.get_rng_state(), random.getstate()
    run_example(example, "cpu")
    assert torch.is_grad_enabled()
    assert torch.get_num_threads() == threads
    assert torch.get_default_dtype() == torch.float32
    assert torch.equal(torch.get_rng_state(), torch_rng)
    assert random.getstate() == python_rng
    assert sys.modules.get("__main__") is main
    assert torch.get_default_device().type == "cpu"


def test_main_guard_runs(tmp_path: Path) -> None:
    example = write(
        tmp_path / "examples/ok/main.py",
        """
        if __name__ == "__main__":
            print("ran as a script")
            #> ran as a script
        """,
    )
    source = example.read_text()
    assert output_drift(example, source, run_example(example, "cpu"), "cpu") is None


def site(tmp_path: Path, ja: str, en: str | None) -> tuple:
    write(tmp_path / "examples/topic/shown.py", "print('hi')\n")
    write(
        tmp_path / "examples/topic/sections.py",
        "# --8<-- [start:part]\nx = 1\n# --8<-- [end:part]\n",
    )
    ja_page = parse_page(write(tmp_path / "docs/ja/page.md", ja))
    en_page = parse_page(write(tmp_path / "docs/en/page.md", en)) if en else None
    return ja_page, en_page


GOOD = """
    # Title { #title }

    ```python title="examples/topic/shown.py"
    --8<-- "examples/topic/shown.py"
    ```
    """


def test_good_page_has_no_problems(tmp_path: Path) -> None:
    ja, en = site(tmp_path, GOOD, GOOD.replace("Title", "Titre"))
    assert fence_problems(ja, root=tmp_path) == []
    assert twin_problems("page.md", ja, en) == []


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (
            '```python title="examples/topic/missing.py"\n--8<-- "examples/topic/missing.py"\n```',
            "page.md:3: includes examples/topic/missing.py, which does not exist",
        ),
        (
            '```python title="examples/topic/sections.py"\n--8<-- "examples/topic/sections.py:nope"\n```',
            "page.md:3: examples/topic/sections.py has no section 'nope'",
        ),
        (
            "```python\nimport torch\nprint(torch.ones(1))\n```",
            "page.md:3: code block is not an include of an example",
        ),
        (
            '```python\n--8<-- "examples/topic/shown.py"\n```',
            'page.md:3: title the block with its file, title="examples/topic/shown.py"',
        ),
        (
            "```bash\npip install torch\n```",
            "page.md:3: code block is not an include of an example",
        ),
    ],
    ids=[
        "missing-file",
        "missing-section",
        "pasted-code",
        "no-title",
        "other-language",
    ],
)
def test_bad_block_names_page_and_line(
    tmp_path: Path, block: str, expected: str
) -> None:
    ja, _ = site(tmp_path, f"# T {{ #t }}\n\n{block}\n", None)
    problems = fence_problems(ja, root=tmp_path)
    assert any(expected in problem for problem in problems), problems


def test_page_in_one_language_only(tmp_path: Path) -> None:
    ja, _ = site(tmp_path, GOOD, None)
    (problem,) = twin_problems("page.md", ja, None)
    assert problem.startswith(
        "docs/ja/page.md:1: this page has no twin docs/en/page.md"
    )


def test_twins_with_other_anchors(tmp_path: Path) -> None:
    ja, en = site(tmp_path, GOOD, GOOD.replace("{ #title }", "{ #other }"))
    (problem,) = twin_problems("page.md", ja, en)
    assert "page.md:1 / " in problem and "heading anchors" in problem


def test_orphan_example(tmp_path: Path) -> None:
    ja, en = site(tmp_path, GOOD, GOOD)
    pages = {"ja": {"page.md": ja}, "en": {"page.md": en}}
    examples = sorted((tmp_path / "examples").rglob("*.py"))
    (problem,) = orphan_problems(pages, examples, root=tmp_path)
    assert "examples/topic/sections.py:1: no page includes this example" in problem


def test_table_cell_without_example_link(tmp_path: Path) -> None:
    text = GOOD + textwrap.dedent(
        """
        ## Table { #table }

        | aspect | a | b |
        |---|---|---|
        | x | [yes](#title) | no link |
        | y | [yes](#nowhere) | [no](#title) |
        """
    )
    ja, _ = site(tmp_path, text, None)
    problems = table_link_problems(ja, "table", {"page.md": ja})
    assert len(problems) == 2, problems
    assert "page.md:11: column 3 has no link" in problems[0]
    assert "page.md:12: column 2 links to #nowhere" in problems[1]


def test_test_code_is_linted_and_formatted() -> None:
    """Test code is product code: ruff check and ruff format hold for tests/ too."""
    ruff = find_ruff_bin()
    tests = str(ROOT / "tests")
    check = subprocess.run(
        [ruff, "check", tests], capture_output=True, text=True, cwd=ROOT
    )
    assert check.returncode == 0, check.stdout
    form = subprocess.run(
        [ruff, "format", "--check", tests], capture_output=True, text=True, cwd=ROOT
    )
    assert form.returncode == 0, f"{form.stdout}\nRun `ruff format tests`."


def test_table_links_into_a_notebook_need_its_heading(tmp_path: Path) -> None:
    text = GOOD + textwrap.dedent(
        """
        ## Table { #table }

        | aspect | a |
        |---|---|
        | x | [measured](nb.py#memory) |
        | y | [measured](nb.py#nowhere) |
        """
    )
    ja, _ = site(tmp_path, text, None)
    notebook = parse_page(
        write(tmp_path / "docs/ja/nb.py", "# %% [markdown]\n# ## Memory\n")
    )
    problems = table_link_problems(ja, "table", {"page.md": ja, "nb.py": notebook})
    assert len(problems) == 1, problems
    assert "page.md:12: column 2 links to nb.py#nowhere" in problems[0]


MARKED = """
    # requires: cuda
    import torch

    torch.manual_seed(0)
    print("ran on the required device")
    #> ran on the required device
    """


def test_requires_marker_runs_only_on_that_device(tmp_path: Path) -> None:
    marked = write(tmp_path / "examples/gpu/marked.py", MARKED)
    plain = write(tmp_path / "examples/ok/plain.py", "print('anywhere')\n")
    assert required_device(marked) == "cuda"
    assert required_device(plain) is None
    assert devices_for(marked, ["cpu"]) == ["cuda"]  # a case, reported as skipped
    assert devices_for(marked, ["cpu", "cuda", "mps"]) == ["cuda"]
    assert devices_for(plain, ["cpu", "mps"]) == ["cpu", "mps"]
    reason = skip_reason(marked, "cuda", ["cpu"])
    assert reason is not None
    assert "marked.py requires cuda" in reason and "devices here: cpu" in reason
    assert skip_reason(marked, "cuda", ["cpu", "cuda"]) is None


def test_marked_example_is_skipped_without_the_device(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pytestconfig: pytest.Config
) -> None:
    marked = write(tmp_path / "examples/gpu/marked.py", MARKED)
    ran = []
    monkeypatch.setattr(test_examples, "DEVICES", ["cpu"])
    monkeypatch.setattr(test_examples, "run_example", lambda *args: ran.append(args))
    with pytest.raises(pytest.skip.Exception, match=r"requires cuda.*not run"):
        test_examples.test_output(marked, "cuda", False, pytestconfig)
    assert ran == []


def test_marked_example_runs_where_the_device_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pytestconfig: pytest.Config
) -> None:
    """A machine with CUDA (faked: the device list, and a run on the CPU) runs it."""
    marked = write(tmp_path / "examples/gpu/marked.py", MARKED)
    asked = []

    def run_on_cpu_instead(path: Path, device: str, config: pytest.Config) -> str:
        asked.append(device)
        return run_example(path, "cpu", config)

    monkeypatch.setattr(test_examples, "DEVICES", ["cpu", "cuda"])
    monkeypatch.setattr(test_examples, "run_example", run_on_cpu_instead)
    test_examples.test_output(marked, "cuda", False, pytestconfig)  # passes
    assert asked == ["cuda"]
    # and it really is checked there: wrong #> lines fail
    marked.write_text(marked.read_text().replace("#> ran", "#> did not run"))
    with pytest.raises(pytest.fail.Exception, match=r"marked\.py:6: the #> output"):
        test_examples.test_output(marked, "cuda", False, pytestconfig)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("# requires: gpu", "bad.py:1: '# requires: gpu' names no device"),
        ("# requires: cuda\n# requires: mps", "bad.py:2: a second '# requires:'"),
    ],
    ids=["unknown-device", "two-devices"],
)
def test_bad_requires_line_names_file_and_line(
    tmp_path: Path, pytestconfig: pytest.Config, line: str, expected: str
) -> None:
    bad = write(tmp_path / "examples/gpu/bad.py", f"{line}\nprint(1)\n")
    with pytest.raises(ExampleError, match=re.escape(expected)):
        required_device(bad)
    with pytest.raises(pytest.fail.Exception, match=re.escape(expected)):
        test_examples.test_output(bad, "cpu", False, pytestconfig)
