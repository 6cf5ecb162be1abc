"""The harness fails when it should, says where, and leaves no state behind."""

import os
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

from support import standalone
from support.caught import CHILD_FOLDER
from support.error_index import (
    assert_without_print,
    error_index_problems,
    printed_texts,
    recorded_texts,
    run_problems,
    shown_messages,
)
from support.examples import (
    ROOT,
    ExampleError,
    ExampleRun,
    devices_for,
    expected_error_problems,
    format_source,
    missing_library_reason,
    output_drift,
    portability_problems,
    required_device,
    required_libraries,
    run,
    run_example,
    skip_reason,
)
from support.harness_env import HARNESS_SET, harness_set, set_for_harness
from support.pages import (
    fence_problems,
    heading_problems,
    orphan_problems,
    parse_page,
    table_link_problems,
    twin_problems,
)
from support.records import verified_releases as vr
from support.standalone import (
    plain_run,
    recorded_output,
    standalone_problems,
    stop_problems,
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
        import os
        import random

        import torch

        torch.set_grad_enabled(False)
        torch.set_num_threads(1)
        torch.set_default_dtype(torch.float64)
        torch.manual_seed(123)
        random.seed(123)
        os.environ.setdefault("DS_ACCELERATOR", "cpu")
        os.environ["EXAMPLES_TEST_LEAK"] = "yes"
        """,
    )
    environ = dict(os.environ)
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
    # The environment too, but for the folder the harness names for child processes.
    assert "EXAMPLES_TEST_LEAK" not in os.environ
    assert os.environ.get("DS_ACCELERATOR") == environ.get("DS_ACCELERATOR")
    environ.pop(CHILD_FOLDER, None)
    assert {k: v for k, v in os.environ.items() if k != CHILD_FOLDER} == environ


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


def test_every_table_of_the_section_is_checked(tmp_path: Path) -> None:
    """A section may hold one small table per group (libraries.md#at-a-glance: one per
    library): each is checked, and a label is unique across them."""
    second = (
        "\n| other | a | b |\n|---|---|---|\n"
        f"| z | no link | again {proof('#title', 'x, a')} |\n"
    )
    _, en = table_page(
        tmp_path,
        f"| x | yes {proof('#title', 'x, a')} | ok {proof('#title', 'x, b')} |\n"
        + second,
    )
    problems = table_link_problems(en, "table", {"page.md": en})
    assert len(problems) == 2, problems
    assert "page.md:15: column 2 has no proof marker" in problems[0]
    assert (
        "page.md:15: column 3: the marker's aria-label 'proof: x, a' is also used on "
        "line 11" in problems[1]
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
    text = GOOD + textwrap.dedent("""
        ## Table { #table }

        | aspect | a |
        |---|---|
        | x | measured [proof](nb.py#memory){ aria-label="proof: x" } |
        | y | measured [proof](nb.py#nowhere){ aria-label="proof: y" } |
        """)
    en = parse_page(write(tmp_path / "docs/en/page.md", text))
    notebook = parse_page(
        write(tmp_path / "docs/en/nb.py", "# %% [markdown]\n# ## Memory\n")
    )
    problems = table_link_problems(en, "table", {"page.md": en, "nb.py": notebook})
    assert len(problems) == 1, problems
    assert "page.md:12: column 2 links to nb.py#nowhere" in problems[0]


# --- The recorder writes what a reader sees; a plain run checks it -------------------

LOOP = """
for step in range(4):
    print("step", step)
    if step % 2:
        print("odd")
"""


def test_recorder_refuses_a_loop_that_prints_from_two_lines(tmp_path: Path) -> None:
    """The #> lines under two prints of one loop could not read in the order a plain
    run prints them (pytest-examples kept only some of the iterations): refused."""
    example = write(tmp_path / "examples/bad/loop.py", LOOP)
    with pytest.raises(ExampleError) as raised:
        run(example, "cpu")
    message = str(raised.value)
    assert (
        "loop.py:2: this print runs again after the print on line 4, below it (a "
        "loop, or a function called twice, that prints from two lines)"
    ) in message
    assert "collect the lines and print them after the loop" in message


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ('print("a", end="")\n', "shape.py:1: print(..., end=...) or print(..."),
        (
            'import sys\nprint("a", file=sys.stderr)\n',
            "shape.py:2: print(..., end=...) or print(...",
        ),
        ("x = [print(i) for i in range(2)]\n", "shape.py:1: print(...) inside an"),
        ('print("a"); print("b")\n', "shape.py:1: two prints start on this line"),
    ],
    ids=["end", "file", "inside-an-expression", "two-on-a-line"],
)
def test_recorder_refuses_what_it_cannot_place(
    tmp_path: Path, code: str, expected: str
) -> None:
    example = write(tmp_path / "examples/bad/shape.py", code)
    with pytest.raises(ExampleError, match=re.escape(expected)):
        run(example, "cpu")


WHAT_A_READER_SEES = """
long = "x" * 90
for step in range(3):  # a loop that prints from one line: in order
    print("step", step)
print(long)
print("two\\nlines")
print()
print("trailing   ")


def show(label: str) -> None:
    print(label)


show("from a function")
"""


def test_recorded_output_is_what_a_plain_run_prints(tmp_path: Path) -> None:
    """Recorded by the harness (#> lines, a block for a long or multi-line output, an
    empty line), read back top to bottom, it equals a plain run's stdout."""
    example = write(tmp_path / "examples/ok/reader.py", WHAT_A_READER_SEES)
    example.write_text(format_source(run_example(example, "cpu"), example))
    source = example.read_text()
    assert '"""\n' + "x" * 90 + '\n"""' in source
    assert "#> step 2\n" in source and '"""\ntwo\nlines\n"""' in source
    recorded, problems = recorded_output(example)
    assert problems == []
    assert [r.text for r in recorded] == [
        "step 0",
        "step 1",
        "step 2",
        "x" * 90,
        "two",
        "lines",
        "",
        "trailing",
        "from a function",
    ]
    plain = plain_run(example)
    assert plain.status == 0, plain.stderr
    assert standalone_problems(example, plain) is None
    assert format_source(run_example(example, "cpu"), example) == source  # stable


MISRECORDED = """
import sys

print("one")
#> one
sys.stdout.write("two\\n")  # not a print: the harness's recorder never sees it
print("three")
#> three
"""


def test_plain_run_rejects_a_misrecorded_example(tmp_path: Path) -> None:
    """The harness's own run agrees with these #> lines; a reader's run does not."""
    example = write(tmp_path / "examples/bad/misrecorded.py", MISRECORDED)
    source = example.read_text()
    assert output_drift(example, source, run_example(example, "cpu"), "cpu") is None
    problem = standalone_problems(example, plain_run(example))
    assert problem is not None
    assert (
        "misrecorded.py:6: the print here is recorded as 'three' (output line 2), but "
        "`python "
    ) in problem, problem
    assert "misrecorded.py` printed 'two' there." in problem
    assert "+two" in problem and "The #> lines must be exactly what" in problem


PYTEST_EXAMPLES_RECORDING = """
for step in range(4):
    print("step", step)
    #> step 0
    if step % 2:
        print("odd")
        #> odd
"""


def test_plain_run_rejects_pytest_examples_loop_recording(tmp_path: Path) -> None:
    """What pytest-examples wrote for a loop printing from two lines (the first
    iteration of each print only): a plain run prints more."""
    example = write(tmp_path / "examples/bad/loop.py", PYTEST_EXAMPLES_RECORDING)
    problem = standalone_problems(example, plain_run(example))
    assert problem is not None
    assert "loop.py:5: the print here is recorded as 'odd' (output line 2)" in problem


def test_preload_follows_the_helpers_an_example_imports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An example that imports trl only through its folder's helper (``from _sft import``)
    forks from a server that imported trl: the import is paid once, not per run."""
    write(tmp_path / "examples/lib/_helper.py", "import this  # noqa: F401\n")
    example = write(tmp_path / "examples/lib/uses_helper.py", "from _helper import *\n")
    monkeypatch.setattr(standalone, "HEAVY", (*standalone.HEAVY, "this"))
    assert "import this" in standalone.preload_for(example.read_text(), example.parent)
    assert "import this" not in standalone.preload_for(example.read_text())


def test_plain_run_keeps_what_a_preloaded_import_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`import this` prints the Zen of Python: a reader sees it, the harness's recorder
    does not. Imported by the example (fresh), or already by the server it forks from
    (its output written again at the start of the run), the plain run prints it."""
    example = write(
        tmp_path / "examples/bad/zen.py",
        'import this  # noqa: F401\n\nprint("after the zen")\n#> after the zen\n',
    )
    fresh = plain_run(example)
    monkeypatch.setattr(standalone, "HEAVY", (*standalone.HEAVY, "this"))
    assert "import this" in standalone.preload_for(example.read_text())
    preloaded = plain_run(example)
    assert fresh.stdout == preloaded.stdout
    assert fresh.stdout.startswith("The Zen of Python, by Tim Peters")
    problem = standalone_problems(example, preloaded)
    assert problem is not None and "zen.py:3: the print here is recorded as" in problem


def test_stray_output_line_is_reported_and_removed(tmp_path: Path) -> None:
    example = write(tmp_path / "examples/bad/stray.py", 'x = 1\n#> 1\nprint("a")\n')
    _, (problem,) = recorded_output(example)
    assert "stray.py:2: a #> line that is not under a print" in problem
    assert run_example(example, "cpu") == 'x = 1\nprint("a")\n#> a\n'


PLAIN_FACTS = """
import os
import sys

import torch

torch.manual_seed(0)
assert __name__ == "__main__"
assert os.getcwd() == ROOT, os.getcwd()  # the repository root
assert sys.argv == [__file__], sys.argv  # (a path under it is given relative to it)
assert sys.path[0] == os.path.dirname(__file__)
assert torch.is_grad_enabled() and torch.get_default_dtype() == torch.float32
assert "leaked" not in sys.modules and not hasattr(torch, "leaked")
torch.set_grad_enabled(False)
torch.set_default_dtype(torch.float64)
sys.modules["leaked"] = sys
torch.leaked = True
print("as a reader runs it")
#> as a reader runs it
"""


def test_plain_run_is_a_fresh_readers_run(tmp_path: Path) -> None:
    """`__name__`, argv, sys.path[0] and the working directory are a reader's; what
    one run changes (grad mode, default dtype, modules, attributes) is gone in the
    next."""
    code = PLAIN_FACTS.replace("== ROOT,", f"== {str(ROOT)!r},")
    planted = write(tmp_path / "examples/ok/plain_facts.py", code)
    for _ in range(2):
        plain = plain_run(planted)
        assert plain.status == 0, plain.stderr
        assert standalone_problems(planted, plain) is None


def test_plain_run_that_raises_names_its_status(tmp_path: Path) -> None:
    example = write(tmp_path / "examples/bad/raises.py", 'raise ValueError("no")\n')
    plain = plain_run(example)
    assert plain.status == 1 and "ValueError: no" in plain.stderr
    problem = standalone_problems(example, plain)
    assert problem is not None and "exited with status 1" in problem


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "import torch\nassert torch.cuda.is_available()\n",
            "stopped with a traceback",
        ),
        ("print('fine')\n", "exited with status 0"),
        ("import sys\nsys.exit('no GPU here')\n", "stopped without naming the device"),
        ("import sys\nsys.exit('This example needs a CUDA GPU: stopped.')\n", None),
    ],
    ids=["bare-assert", "runs-anyway", "unclear-message", "says-why"],
)
def test_plain_run_of_a_device_example_says_why_it_stops(
    tmp_path: Path, code: str, expected: str | None
) -> None:
    example = write(tmp_path / "examples/gpu/marked.py", "# requires: cuda\n" + code)
    problem = stop_problems(example, "cuda", plain_run(example))
    if expected is None:
        assert problem is None
    else:
        assert problem is not None and expected in problem, problem
        assert 'sys.exit("This example needs a CUDA GPU ...")' in problem


def test_plain_run_leaves_out_what_the_harness_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A variable the harness sets for its own runs is not a reader's; one the user had
    set before is kept, with the user's value."""
    monkeypatch.setenv(HARNESS_SET, os.environ.get(HARNESS_SET, ""))  # restored after
    monkeypatch.delenv("EXAMPLES_TEST_HARNESS", raising=False)
    monkeypatch.setenv("EXAMPLES_TEST_USER", "mine")
    set_for_harness("EXAMPLES_TEST_HARNESS", "cpu")
    set_for_harness("EXAMPLES_TEST_USER", "cpu")
    assert os.environ["EXAMPLES_TEST_HARNESS"] == "cpu"
    assert os.environ["EXAMPLES_TEST_USER"] == "mine"
    readers = standalone._clean_environment()
    assert "EXAMPLES_TEST_HARNESS" not in readers and HARNESS_SET not in readers
    assert readers["EXAMPLES_TEST_USER"] == "mine"


def test_plain_run_does_not_inherit_the_harness_ds_accelerator(tmp_path: Path) -> None:
    """conftest.py sets DS_ACCELERATOR=cpu without a GPU, for the harness's own runs;
    `python examples/...` has it only if it was set before pytest started."""
    if not torch.cuda.is_available():
        assert os.environ.get("DS_ACCELERATOR") == "cpu"
    set_by_harness = "DS_ACCELERATOR" in harness_set()
    expected = None if set_by_harness else os.environ.get("DS_ACCELERATOR")
    example = write(
        tmp_path / "examples/ok/environment.py",
        f"""
        import os

        assert os.environ.get("DS_ACCELERATOR") == {expected!r}, os.environ.get("DS_ACCELERATOR")
        assert {HARNESS_SET!r} not in os.environ
        """,
    )
    plain = plain_run(example)
    assert plain.status == 0, plain.stderr


@pytest.mark.parametrize(
    ("line", "flagged"),
    [
        ('x = torch.zeros(2, device="cpu")', True),
        ('os.environ.setdefault("DS_ACCELERATOR", "cpu")  # DeepSpeed: quiet', False),
        ('os.environ.setdefault("DS_ACCELERATOR", "cpu"); x = "cuda"', True),
        ('os.environ.setdefault("DEVICE", "cpu")', True),
    ],
    ids=["device", "deepspeed-accelerator", "deepspeed-and-more", "other-variable"],
)
def test_portability_names_the_device(tmp_path: Path, line: str, flagged: bool) -> None:
    """Only DeepSpeed's accelerator, set alone on its line, is not a device of the
    example's."""
    example = write(
        tmp_path / "examples/ok/device.py",
        f"import os\n\nimport torch\n\ntorch.manual_seed(0)\n{line}\n",
    )
    problems = portability_problems(example)
    assert bool(problems) == flagged, problems
    if flagged:
        assert ":6: hard-coded device" in problems[0], problems


# --- An error an example shows must come ---------------------------------------------

SILENT = """
try:
    int("12")
except ValueError as error:
    message = str(error)
print("parsed")
"""


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (SILENT, "shape.py:3: `except ValueError as error:` shows an error"),
        (
            SILENT.replace('print("parsed")', "else:\n    pass\n"),
            "shape.py:3: `except ValueError as error:`",
        ),
        (
            "def f():\n    try:\n        int('x')\n    except ValueError as error:\n"
            "        return str(error)\n    return 'ok'\n",
            "shape.py:4: `except ValueError as error:`",
        ),
        (
            SILENT.replace('print("parsed")', "else:\n    parsed = True\n"),
            "shape.py:3: `except ValueError as error:`",
        ),
        (
            "import warnings\nwith warnings.catch_warnings(record=True) as caught:\n"
            "    warnings.warn('careful')\nprint(caught[0].message)\n",
            "shape.py:2: `catch_warnings(record=True) as caught` shows a warning",
        ),
    ],
    ids=[
        "no-else",
        "else-pass",
        "return-after-try",
        "else-sets-something-else",
        "warnings-not-asserted",
    ],
)
def test_expected_error_rule_names_file_and_line(
    tmp_path: Path, code: str, expected: str
) -> None:
    example = write(tmp_path / "examples/bad/shape.py", code)
    (problem,) = expected_error_problems(example)
    assert expected in problem, problem
    assert "raise AssertionError" in problem or "assert caught" in problem


IDIOMS = """
import warnings


def outcome(text: str) -> str:
    try:
        int(text)
    except ValueError as error:
        return str(error)
    else:
        return "ok"


try:
    int("x")
except ValueError as error:
    message = str(error)
else:
    raise AssertionError("int('x') did not raise ValueError")
outcomes = {}
for text in ("1", "x"):  # the error comes for some cases only
    try:
        int(text)
    except ValueError as error:
        outcomes[text] = str(error)
    else:
        outcomes[text] = "ok"
assert outcomes["1"] == "ok" and outcomes["x"].startswith("invalid literal")
try:
    import fcntl  # noqa: F401
except ImportError:  # a fallback does not look at the error
    pass
with warnings.catch_warnings(record=True) as caught:
    warnings.warn("careful")
assert caught, "warn did not warn"
"""


def test_expected_error_idioms_pass(tmp_path: Path) -> None:
    example = write(tmp_path / "examples/ok/idioms.py", IDIOMS)
    assert expected_error_problems(example) == []


def test_idiom_makes_a_missing_error_fail(tmp_path: Path) -> None:
    """fusion_needs_eval.py's shape: with the idiom, an error that stops coming fails."""
    code = SILENT.replace(
        'print("parsed")',
        "else:\n    raise AssertionError(\"int('12') did not raise ValueError\")\n",
    )
    example = write(tmp_path / "examples/ok/must_come.py", code)
    assert expected_error_problems(example) == []
    with pytest.raises(ExampleError, match=r"must_come\.py:6: AssertionError on cpu"):
        run(example, "cpu")


# --- The error index, from what the examples ran -------------------------------------

RAISES = """
import multiprocessing
import textwrap
import warnings


def error_of(text: str) -> str:
    try:
        int(text)
    except ValueError as error:
        return str(error)
    else:
        return "no error"


def in_a_child(text: str) -> str:
    try:
        float(text)
    except ValueError as error:
        return str(error)
    else:
        return "no error"


if __name__ == "__main__":
    message = error_of("twelve")
    print(message)
    print("int() says:", message.split(":")[0])
    facts = {}
    try:
        "text".encode("nonexistent-codec")
    except LookupError as error:
        facts["encode"] = str(error)
    else:
        raise AssertionError("encode did not raise LookupError")
    for name, fact in facts.items():
        print(f"{name} fails: {fact}!")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.warn("a value of 3 is too large for a re-entrant in-place update")
    assert caught, "warn did not warn"
    print(len(caught), "warning")
    print(textwrap.fill(str(caught[0].message), width=36))
    with multiprocessing.get_context("forkserver").Pool(1) as pool:
        print(pool.map(in_a_child, ["one half"])[0])
"""
INT = "invalid literal for int() with base 10: 'twelve'"
CODEC = "unknown encoding: nonexistent-codec"
TOO_LARGE = "a value of 3 is too large for a re-entrant in-place update"
FLOAT = "could not convert string to float: 'one half'"
COPIES = f"""
print("{INT}")
"""
ERROR_PAGE = """
# Page { #top }

## Why it fails { #why }

It fails.

### Example { #ex-raises }

```python title="examples/topic/raises.py"
--8<-- "examples/topic/raises.py"
```

### A copy { #ex-copies }

```python title="examples/topic/copies.py"
--8<-- "examples/topic/copies.py"
```
"""


def entry(quote: str, where: str = "ex-raises") -> str:
    return (
        f"- `{quote}`\n    - Raised in: [Page › Example](page.md#{where})\n"
        "    - Cause and fix: [Page › Why it fails](page.md#why)\n"
    )


ENTRIES = {
    "returned": entry(INT),
    "in a dict": entry(CODEC),
    "warning": entry("a value of … is too large for a re-entrant in-place update"),
    "child": entry(FLOAT),
}


@pytest.fixture(scope="module")
def raises(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ExampleRun]:
    """examples/topic/raises.py with the #> output of a real run (checked, not typed),
    and that run."""
    root = tmp_path_factory.mktemp("site")
    example = write(root / "examples/topic/raises.py", RAISES)
    recorded = format_source(run(example, "cpu").source, example)
    example.write_text(recorded, encoding="utf-8")
    ran = run(example, "cpu")
    assert output_drift(example, recorded, ran.source, "cpu") is None
    write(root / "examples/topic/copies.py", COPIES)
    return root, ran


def error_index(raises: tuple[Path, ExampleRun], entries: str) -> list[str]:
    """The problems of an index holding ``entries``: what needs no run, then the run
    of examples/topic/raises.py."""
    root, ran = raises
    page = parse_page(write(root / "docs/en/page.md", ERROR_PAGE))
    text = "# Index { #top }\n\n- `…` marks a varying part.\n\n## Group { #group }\n\n"
    errors = parse_page(write(root / "docs/en/errors.md", text + entries))
    pages = {"page.md": page, "errors.md": errors}
    examples = sorted((root / "examples").rglob("*.py"))
    recorded = [m for path in examples for m in recorded_texts(path, root)]
    shown = shown_messages(ran, root)
    return error_index_problems(errors, "en", pages, recorded) + run_problems(
        errors, "en", pages, "examples/topic/raises.py", shown, printed_texts(ran, root)
    )


def test_shown_messages_come_from_what_ran(raises: tuple[Path, ExampleRun]) -> None:
    """A message returned from a function, kept in a dict and formatted into a line,
    printed after a label and shortened, a recorded warning wrapped by textwrap (with a
    hyphen break), and a message raised in a child process and sent back as data are
    all found; a print of len(caught) is not a message."""
    root, ran = raises
    assert [(m.line, m.text) for m in shown_messages(ran, root)] == [
        (26, INT),
        (28, "invalid literal for int() with base 10"),
        (38, CODEC),
        (46, TOO_LARGE),
        (52, FLOAT),
    ]
    child = [r for r in ran.raised if r.message == FLOAT]
    assert child and child[0].where.endswith("(a child process)")


def test_error_index_that_matches_passes(raises: tuple[Path, ExampleRun]) -> None:
    assert error_index(raises, "".join(ENTRIES.values())) == []


@pytest.mark.parametrize(
    ("shape", "line", "text"),
    [
        ("returned", 26, INT),
        ("in a dict", 38, CODEC),
        ("warning", 46, TOO_LARGE),
        ("child", 52, FLOAT),
    ],
    ids=["returned-from-a-function", "kept-in-a-dict", "warning", "child-process"],
)
def test_error_index_missing_a_printed_message(
    raises: tuple[Path, ExampleRun], shape: str, line: int, text: str
) -> None:
    entries = "".join(e for name, e in ENTRIES.items() if name != shape)
    problems = error_index(raises, entries)
    assert len(problems) == 1 + (shape == "returned"), problems  # and its short form
    (problem,) = [p for p in problems if f"raises.py:{line}: prints the" in p]
    assert problem.startswith(
        f"examples/topic/raises.py:{line}: prints the caught message `{text}`, but "
    ), problem
    assert "docs/en/errors.md has no entry for it; add under the heading" in problem
    assert f"- `{text}`\n    - Raised in: [Page › Example](page.md#ex-raises)\n" in (
        problem
    )


def test_error_index_quoting_a_message_no_example_prints(
    raises: tuple[Path, ExampleRun],
) -> None:
    unproduced = ENTRIES["returned"].replace("base 10", "base 16")
    problems = error_index(raises, unproduced + ENTRIES["in a dict"])
    assert problems[0].endswith(
        "errors.md:7: no example the entry lists prints `invalid literal for int() "
        "with base 16: 'twelve'`; quote the message exactly as the #> lines of an "
        "example it lists show it (write … for a part that varies), or remove the "
        f"entry if no example raises it any more. The closest it prints is `{INT}`."
    ), problems
    # and the message the example does print is now missing
    assert any("raises.py:26: prints the caught message" in p for p in problems)


def test_error_index_entry_must_link_its_example(
    raises: tuple[Path, ExampleRun],
) -> None:
    wrong = ENTRIES["returned"].replace("page.md#ex-raises", "page.md#why")
    problems = error_index(raises, wrong + "".join(list(ENTRIES.values())[1:]))
    assert len(problems) == 3, problems
    assert (
        "docs/en/errors.md:8: page.md#why is not a section that includes an example "
        f"printing `{INT}`"
    ) in problems[0]
    assert "errors.md:7: no example the entry lists prints" in problems[1]
    assert problems[2].endswith(
        f"docs/en/errors.md:7: the entry `{INT}` does not link to "
        "examples/topic/raises.py, which prints it (examples/topic/raises.py:26); add "
        "[Page › Example](page.md#ex-raises) to its 'Raised in:' line."
    )


def test_error_index_entry_needs_both_lines(raises: tuple[Path, ExampleRun]) -> None:
    no_fix = ENTRIES["returned"].replace("    - Cause and fix", "    - Fix")
    problems = error_index(raises, no_fix + "".join(list(ENTRIES.values())[1:]))
    assert any("errors.md:9: unknown label 'Fix'" in p for p in problems), problems
    assert any("has no 'Cause and fix:' line" in p for p in problems), problems


def test_error_index_entry_quoting_a_copy_not_a_message(
    raises: tuple[Path, ExampleRun],
) -> None:
    """An example that prints the text of a message it never raised (a copy) is not a
    source for the index: listed under the entry, its run says so."""
    root, _ = raises
    copies = root / "examples/topic/copies.py"
    copy_run = run(copies, "cpu")
    page = parse_page(write(root / "docs/en/page.md", ERROR_PAGE))
    text = "# Index { #top }\n\n## Group { #group }\n\n" + ENTRIES["returned"].replace(
        "(page.md#ex-raises)", "(page.md#ex-raises), [Page › A copy](page.md#ex-copies)"
    )
    errors = parse_page(write(root / "docs/en/errors.md", text))
    pages = {"page.md": page, "errors.md": errors}
    name = "examples/topic/copies.py"
    shown = shown_messages(copy_run, root)
    assert shown == []  # it raised nothing
    (problem,) = run_problems(
        errors, "en", pages, name, shown, printed_texts(copy_run, root)
    )
    assert problem.startswith(
        f"examples/topic/copies.py:1: prints what the entry `{INT}` ("
    ), problem
    assert (
        "docs/en/errors.md:5) quotes, but no exception the example caught and no "
        "warning it got in this run says it"
    ) in problem


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
        else:
            raise AssertionError("requires_grad_() did not raise")
        assert message.startswith("only Tensors")
        print("caught:", isinstance(message, str))
        """,
    )
    ran = run(example, "cpu")
    shown = shown_messages(ran, tmp_path)
    assert shown == []
    (problem,) = assert_without_print(example, shown)
    assert "silent.py:10: asserts on a caught error" in problem
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
    monkeypatch.setattr(test_examples, "RUNS", {})
    monkeypatch.setattr(test_examples, "run", lambda *args: ran.append(args))
    with pytest.raises(pytest.skip.Exception, match=r"requires cuda.*not run"):
        test_examples.test_output(marked, "cuda", False, pytestconfig)
    assert ran == []


def test_marked_example_runs_where_the_device_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pytestconfig: pytest.Config
) -> None:
    """A machine with CUDA (faked: the device list, and a run on the CPU) runs it."""
    marked = write(tmp_path / "examples/gpu/marked.py", MARKED)
    asked = []

    def run_on_cpu_instead(
        path: Path, device: str, config: pytest.Config
    ) -> ExampleRun:
        asked.append(device)
        return run(path, "cpu", config)

    monkeypatch.setattr(test_examples, "DEVICES", ["cpu", "cuda"])
    monkeypatch.setattr(test_examples, "run", run_on_cpu_instead)
    monkeypatch.setattr(test_examples, "RUNS", {})
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
        (
            "# requires: cuda\n# requires: torchvison",
            "bad.py:2: '# requires: torchvison' names no device or library the harness "
            "knows; write one of: '# requires: cuda', '# requires: mps', "
            "'# requires: torchvision'",
        ),
    ],
    ids=["unknown-device", "two-devices", "misspelt-library"],
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
    # the error index of an example reads the run test_output made in the same process
    index = "tests/test_examples.py::test_error_index[examples/{}]"
    assert work_group(index.format("answer/dropout.py")) == "examples/answer"
    assert work_group(index.format("inference_mode/compile.py")) == "examples/compiled"
    # every plain run is forked from the one server of one process
    plain = "tests/test_examples.py::test_standalone[examples/{}]"
    assert work_group(plain.format("answer/dropout.py")) == "standalone"
    assert work_group(plain.format("libraries/peft_merge.py")) == "standalone"
    harness = "tests/test_harness.py::test_plain_run_is_a_fresh_readers_run"
    assert work_group(harness) == "standalone"
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


def test_a_line_that_starts_with_a_hash_is_a_heading(tmp_path: Path) -> None:
    """Python-Markdown renders '#5292 was ...' at a line start as an <h1>: the page check
    names the line and says to rewrap, instead of asking for an anchor."""
    page = parse_page(
        write(
            tmp_path / "docs/en/page.md",
            "# Page { #top }\n\nThe reports #712 and\n#5292 were fixed.\n",
        )
    )
    problems = heading_problems(page)
    assert len(problems) == 1 and ":4: this line starts with '#'" in problems[0], (
        problems
    )


# --- examples that need a library the pinned venv cannot hold (make test-vision) ---------

LIBRARY = "no_such_library_here"  # stands for torchvision: installed nowhere
NEEDS_LIBRARY = f"""
    # requires: cuda
    # requires: {LIBRARY}
    import torch

    print("ran with the library")
    #> ran with the library
    """


@pytest.fixture
def library_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An example that requires a library this venv lacks (and CUDA, to show that the
    two markers combine); the library's make target is `make test-nothing`."""
    from support import examples

    monkeypatch.setitem(examples.KNOWN_LIBRARIES, LIBRARY, "make test-nothing")
    return write(tmp_path / "examples/vision/needs.py", NEEDS_LIBRARY)


def test_a_library_marker_combines_with_a_device_marker(library_example: Path) -> None:
    assert required_device(library_example) == "cuda"
    assert required_libraries(library_example) == [LIBRARY]
    reason = missing_library_reason(library_example)
    assert reason is not None
    assert f"needs.py requires {LIBRARY}, which this venv does not have" in reason
    assert "`make test-nothing` runs it in its own venv" in reason
    # its tests carry the library's mark, which `make test-vision` selects (-m)
    vision = write(library_example.with_name("vision.py"), "# requires: torchvision\n")
    assert [mark.name for mark in test_examples._marks(vision)] == ["torchvision"]


def test_an_example_without_its_library_is_skipped_naming_the_target(
    library_example: Path,
    monkeypatch: pytest.MonkeyPatch,
    pytestconfig: pytest.Config,
) -> None:
    ran = []
    monkeypatch.setattr(test_examples, "DEVICES", ["cpu", "cuda"])
    monkeypatch.setattr(test_examples, "run", lambda *args: ran.append(args))
    monkeypatch.setattr(test_examples, "plain_run", lambda *args: ran.append(args))
    for test in (
        lambda: test_examples.test_output(library_example, "cuda", False, pytestconfig),
        lambda: test_examples.test_standalone(library_example),
    ):
        with pytest.raises(pytest.skip.Exception, match=r"make test-nothing"):
            test()
    assert ran == []  # neither ran it


def test_a_library_example_without_a_current_record_fails_make_test(
    library_example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No silent skip: `make test` fails until a run of the file as it is now passed."""
    name = str(library_example)  # an example outside the checkout is named by its path
    entry = {"sha256": vr.file_digest(library_example), "cpu": "passed"}
    record = {"torch": "2.14.1", "date": "2026-12-05", "failures": []}
    records = [vr.Record(1, {**record, "examples": {name: entry}, "helpers": {}})]
    monkeypatch.setattr(test_examples, "_library_records", lambda path: records)
    test_examples.test_library_record(library_example)  # passes: it ran as it is now

    library_example.write_text(library_example.read_text() + "# changed\n")
    with pytest.raises(pytest.fail.Exception) as failed:
        test_examples.test_library_record(library_example)
    message = str(failed.value)
    assert f"{name}: no run with {LIBRARY} of it as it is now" in message
    assert f"the last one (2026-12-05) ran another content: {name} ran as" in message
    assert message.endswith(
        "Run `make test-nothing` and commit versions/verified.jsonl."
    )

    monkeypatch.setattr(test_examples, "_library_records", lambda path: [])
    with pytest.raises(pytest.fail.Exception, match=f"no run with {LIBRARY} names it"):
        test_examples.test_library_record(library_example)


def test_the_error_index_is_checked_against_the_recorded_messages(
    library_example: Path,
    monkeypatch: pytest.MonkeyPatch,
    pytestconfig: pytest.Config,
    request: pytest.FixtureRequest,
) -> None:
    """Where the example cannot run, the messages its recorded run showed are checked:
    one that no entry of docs/*/errors.md indexes fails, naming the example's line."""
    name = str(library_example)
    entry = {
        "sha256": vr.file_digest(library_example),
        "cpu": "passed",
        "shown": [[5, "a message that no entry of the error index quotes"]],
    }
    record = {"torch": "2.14.1", "date": "2026-12-05", "failures": []}
    records = [vr.Record(1, {**record, "examples": {name: entry}, "helpers": {}})]
    monkeypatch.setattr(test_examples, "_library_records", lambda path: records)
    with pytest.raises(pytest.fail.Exception) as failed:
        test_examples.test_error_index(library_example, pytestconfig, request)
    for language in ("ja", "en"):
        assert (
            f"{name}:5: prints the caught message `a message that no entry of the error "
            f"index quotes`, but docs/{language}/errors.md has no entry for it"
        ) in str(failed.value)

    monkeypatch.setattr(test_examples, "_library_records", lambda path: [])
    with pytest.raises(pytest.skip.Exception, match=r"no passing run of it"):
        test_examples.test_error_index(library_example, pytestconfig, request)
