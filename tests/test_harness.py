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
from xdist.scheduler import LoadScopeScheduling

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
    error_index_problems,
    fence_problems,
    orphan_problems,
    parse_page,
    printed_messages,
    table_link_problems,
    twin_problems,
)
from support.work_groups import work_group


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


def proof(target: str, label: str) -> str:
    return f'[proof]({target}){{ aria-label="proof: {label}" }}'


def table_page(tmp_path: Path, rows: str) -> tuple:
    text = GOOD + "\n## Table { #table }\n\n| aspect | a | b |\n|---|---|---|\n" + rows
    ja, _ = site(tmp_path, text, None)
    en = parse_page(write(tmp_path / "docs/en/page.md", text))
    return ja, en


def test_table_with_proof_markers_passes(tmp_path: Path) -> None:
    _, en = table_page(
        tmp_path,
        f"| x | yes {proof('#title', 'x, a')} | no `code` {proof('#title', 'x, b')} |\n"
        f"| y | one {proof('#title', 'y, a1')}, two {proof('#title', 'y, a2')} "
        f"| yes {proof('#title', 'y, b')} |\n",
    )
    assert table_link_problems(en, "table", {"page.md": en}) == []


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("no link", "page.md:11: column 3 has no proof marker; end the cell with "),
        ("[yes](#title)", "page.md:11: column 3: the link text 'yes' is not the proof"),
        ("yes [proof](#title)", "page.md:11: column 3: the marker has no aria-label"),
        (
            'yes [proof](#title) { aria-label="proof: x, b" }',
            "page.md:11: column 3: the marker has no aria-label",
        ),
        (
            'yes [proof](#title){ aria-label="x, b" }',
            "page.md:11: column 3: the marker has no aria-label that starts with 'proof:'",
        ),
        (
            "yes " + proof("#title", "x, a"),
            "page.md:11: column 3: the marker's aria-label 'proof: x, a' is also used",
        ),
        (proof("#title", "x, b"), "page.md:11: column 3: the cell is only a marker"),
        (
            "yes " + proof("#nowhere", "x, b"),
            "page.md:11: column 3 links to #nowhere, which is not a heading followed",
        ),
        (
            "yes " + proof("#table", "x, b"),
            "page.md:11: column 3 links to #table, which is not a heading followed",
        ),
    ],
    ids=[
        "no-marker",
        "whole-cell-link",
        "no-label",
        "label-after-a-space",
        "label-without-marker-text",
        "label-used-twice",
        "marker-only",
        "dead-anchor",
        "section-without-example",
    ],
)
def test_table_cell_without_proof_marker(
    tmp_path: Path, cell: str, expected: str
) -> None:
    _, en = table_page(tmp_path, f"| x | yes {proof('#title', 'x, a')} | {cell} |\n")
    problems = table_link_problems(en, "table", {"page.md": en})
    assert len(problems) == 1, problems
    assert problems[0].startswith("docs/en/" + expected) or expected in problems[0], (
        problems
    )


def test_table_marker_is_per_language(tmp_path: Path) -> None:
    ja, _ = table_page(
        tmp_path,
        f"| x | yes {proof('#title', 'x, a')} | "
        '[例](#title){ aria-label="例: x、b" } の前に文がない |\n',
    )
    problems = table_link_problems(ja, "table", {"page.md": ja})
    assert len(problems) == 1, problems
    assert (
        "page.md:11: column 2: the link text 'proof' is not the proof marker '例'"
        in (problems[0])
    )


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
        | x | measured [proof](nb.py#memory){ aria-label="proof: x" } |
        | y | measured [proof](nb.py#nowhere){ aria-label="proof: y" } |
        """
    )
    en = parse_page(write(tmp_path / "docs/en/page.md", text))
    notebook = parse_page(
        write(tmp_path / "docs/en/nb.py", "# %% [markdown]\n# ## Memory\n")
    )
    problems = table_link_problems(en, "table", {"page.md": en, "nb.py": notebook})
    assert len(problems) == 1, problems
    assert "page.md:12: column 2 links to nb.py#nowhere" in problems[0]


RAISES = """
import textwrap
import warnings

import torch

torch.manual_seed(0)


def error_of(tensor: torch.Tensor) -> str:
    try:
        tensor.requires_grad_()
    except RuntimeError as error:
        return str(error)
    return "no error"


message = error_of(torch.zeros(2, dtype=torch.long))
print(message)
assert message.startswith("only Tensors of floating point")
print("Linear forward:", message.split(" dtype")[0])

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    warnings.warn("a value of 3 is too large for a re-entrant in-place update")
print(len(caught), "warning")
print(textwrap.fill(str(caught[0].message), width=36))
"""
FLOAT_ONLY = "only Tensors of floating point dtype can require gradients"
TOO_LARGE = "a value of 3 is too large for a re-entrant in-place update"
ERROR_PAGE = """
# Page { #top }

## Why it fails { #why }

It fails.

### Example { #ex-raises }

```python title="examples/topic/raises.py"
--8<-- "examples/topic/raises.py"
```
"""
ENTRIES = {
    "float": f"""- `{FLOAT_ONLY}`
    - Raised in: [Page › Example](page.md#ex-raises)
    - Cause and fix: [Page › Why it fails](page.md#why)
""",
    "warning": """- `a value of … is too large for a re-entrant in-place update` (a warning)
    - Raised in: [Page › Example](page.md#ex-raises)
    - Cause and fix: [Page › Why it fails](page.md#why)
""",
}


def recorded_example(tmp_path: Path) -> Path:
    """examples/topic/raises.py with the #> output of a real run (checked, not typed)."""
    example = write(tmp_path / "examples/topic/raises.py", RAISES)
    recorded = format_source(run_example(example, "cpu"), example)
    example.write_text(recorded, encoding="utf-8")
    assert output_drift(example, recorded, run_example(example, "cpu"), "cpu") is None
    return example


def error_index(tmp_path: Path, entries: str) -> list[str]:
    example = recorded_example(tmp_path)
    page = parse_page(write(tmp_path / "docs/en/page.md", ERROR_PAGE))
    text = "# Index { #top }\n\n- `…` marks a varying part.\n\n## Group { #group }\n\n"
    errors = parse_page(write(tmp_path / "docs/en/errors.md", text + entries))
    pages = {"page.md": page, "errors.md": errors}
    messages, problems = printed_messages(example, root=tmp_path)
    assert problems == []
    return error_index_problems(errors, "en", pages, messages)


def test_printed_messages_come_from_the_recorded_output(tmp_path: Path) -> None:
    """A message reached through a function, a labelled and shortened print, and a
    recorded warning wrapped by textwrap (with a hyphen break) are all found; a print of
    len(caught) is not a message."""
    messages, problems = printed_messages(recorded_example(tmp_path), root=tmp_path)
    assert problems == []
    assert [(m.line, m.text) for m in messages] == [
        (18, FLOAT_ONLY),
        (21, "Linear forward: only Tensors of floating point"),
        (29, TOO_LARGE),
    ]
    assert {m.example for m in messages} == {"examples/topic/raises.py"}


def test_error_index_that_matches_passes(tmp_path: Path) -> None:
    assert error_index(tmp_path, ENTRIES["float"] + ENTRIES["warning"]) == []


def test_error_index_missing_a_printed_message(tmp_path: Path) -> None:
    (problem,) = error_index(tmp_path, ENTRIES["float"])
    assert "examples/topic/raises.py:29: prints the caught message " in problem
    assert f"`{TOO_LARGE}`, but " in problem
    assert "docs/en/errors.md has no entry for it; add under the heading" in problem
    assert (
        f"- `{TOO_LARGE}`\n    - Raised in: [Page › Example](page.md#ex-raises)\n"
        in (problem)
    )


def test_error_index_quoting_a_message_no_example_prints(tmp_path: Path) -> None:
    unproduced = ENTRIES["float"].replace("dtype can", "dtype may")
    problems = error_index(tmp_path, unproduced + ENTRIES["warning"])
    assert problems[0].endswith(
        "errors.md:7: no example prints `only Tensors of floating point dtype may "
        "require gradients`; quote the message exactly as the #> lines of the example "
        "that raises it show it (write … for a part that varies), or remove the entry "
        "if no example raises it any more. The closest printed message is "
        f"examples/topic/raises.py:18: `{FLOAT_ONLY}`."
    ), problems
    # and the message the example does print is now missing
    assert any("raises.py:18: prints the caught message" in p for p in problems)


def test_error_index_entry_must_link_its_example(tmp_path: Path) -> None:
    wrong = ENTRIES["float"].replace("page.md#ex-raises", "page.md#why")
    problems = error_index(tmp_path, wrong + ENTRIES["warning"])
    assert len(problems) == 2, problems
    assert (
        "errors.md:8: page.md#why is not a section that includes an example "
        in (problems[0])
    )
    assert "errors.md:7: the entry `only Tensors" in problems[1]
    assert "does not link to examples/topic/raises.py, which prints it" in problems[1]
    assert (
        "add [Page › Example](page.md#ex-raises) to its 'Raised in:' line"
        in (problems[1])
    )


def test_error_index_entry_needs_both_lines(tmp_path: Path) -> None:
    no_fix = ENTRIES["float"].replace("    - Cause and fix", "    - Fix")
    problems = error_index(tmp_path, no_fix + ENTRIES["warning"])
    assert any("errors.md:9: unknown label 'Fix'" in p for p in problems), problems
    assert any("has no 'Cause and fix:' line" in p for p in problems), problems


def test_asserted_but_unprinted_message(tmp_path: Path) -> None:
    example = write(
        tmp_path / "examples/topic/silent.py",
        """
        import torch

        torch.manual_seed(0)
        try:
            torch.zeros(2, dtype=torch.long).requires_grad_()
        except RuntimeError as error:
            message = str(error)
        assert message.startswith("only Tensors")
        print("caught:", isinstance(message, str))
        """,
    )
    messages, (problem,) = printed_messages(example, root=tmp_path)
    assert messages == []
    assert problem.startswith("examples/topic/silent.py:8: asserts on a caught error")
    assert "never prints it; add print(message)" in problem


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


def test_work_groups_keep_expensive_tests_in_one_process() -> None:
    output = "tests/test_examples.py::test_output[examples/{}-{}]"
    assert work_group(output.format("libraries/peft_merge.py", "cpu")) == (
        "examples/libraries"
    )
    assert work_group(output.format("libraries/peft_merge.py", "cuda")) == (
        "examples/libraries"
    )
    # an example of another topic that calls torch.compile runs with the compiled ones
    assert work_group(output.format("inference_mode/compile.py", "cpu")) == (
        "examples/compiled"
    )
    assert work_group(output.format("answer/dropout.py", "cpu")) == "examples/answer"
    assert work_group("tests/test_build.py::test_good_page_builds") == (
        "tests/test_build.py"
    )
    lint = "tests/test_examples.py::test_lint[examples/answer/dropout.py]"
    assert work_group(lint) == lint  # cheap: a group of its own


def test_xdist_schedules_by_work_group() -> None:
    import conftest

    assert issubclass(conftest.WorkGroupScheduling, LoadScopeScheduling)
    node = "tests/test_build.py::test_strict_build_fails[broken-link-nowhere.md]"
    split = conftest.WorkGroupScheduling._split_scope
    assert split(None, node) == "tests/test_build.py"
