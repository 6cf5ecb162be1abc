"""The pictures of the autograd graph are drawn from the real graph, and kept in step.

``examples/graphs/_draw.py`` draws SVG from what ``examples/graphs/recorded_graph.py``
records; the committed pictures under ``docs/<lang>/assets/graphs/`` must be exactly what
it draws now, like the ``#>`` lines of an example. ``make update-examples`` redraws them.
"""

from __future__ import annotations

import copy
import difflib
import importlib.util
import re
from pathlib import Path

import pytest

from support.examples import ROOT, isolated_state, lint_problems, relative
from support.pages import LANGUAGES, find_pages

DRAW = ROOT / "examples" / "graphs" / "_draw.py"
HINT = "run `make update-examples` (it also redraws the pictures) and review the diff"
# Which page shows which picture (the same relative path in every language).
SHOWN_ON = {
    "assets/graphs/overview.svg": "index.md",
    "assets/graphs/frozen.svg": "requires-grad.md",
}


def load_draw():
    spec = importlib.util.spec_from_file_location("graphs_draw", DRAW)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


draw = load_draw()
NAMES = [f"docs/{lang}/{name}" for lang in LANGUAGES for name in draw.PICTURES]


def picture_drift(path: Path, committed: str | None, drawn: str) -> str | None:
    """A message naming ``file:line`` when the committed picture is not the drawn one."""
    name = relative(path)
    source = f"{relative(DRAW)} draws now from what {relative(draw.EXAMPLE)} records"
    if committed is None:
        return f"{name}:1: missing; {source}. To create it, {HINT}."
    if committed == drawn:
        return None
    old, new = committed.splitlines(), drawn.splitlines()
    line = next(
        (n for n, (a, b) in enumerate(zip(old, new, strict=False), 1) if a != b),
        min(len(old), len(new)) + 1,
    )
    diff = "\n".join(
        difflib.unified_diff(
            old,
            new,
            fromfile=f"{name} (committed)",
            tofile=f"{name} (drawn now)",
            lineterm="",
            n=1,
        )
    )
    return (
        f"{name}:{line}: the committed picture differs from what {source} "
        f"(the graph, the drawing code or a label changed).\n{diff}\n"
        f"If the new picture is right, {HINT}."
    )


@pytest.fixture(scope="module")
def drawn() -> dict[str, str]:
    """Every picture as drawn now, from a run on the CPU (like the committed ones)."""
    with isolated_state("cpu", draw.EXAMPLE):
        return {relative(path): text for path, text in draw.pictures().items()}


def check_picture(path: Path, drawn: str) -> None:
    """Fail, naming ``file:line``, unless ``path`` holds exactly ``drawn``."""
    committed = path.read_text(encoding="utf-8") if path.exists() else None
    drift = picture_drift(path, committed, drawn)
    if drift:
        pytest.fail(drift, pytrace=False)


@pytest.mark.parametrize("name", NAMES)
def test_picture_matches_the_graph(
    name: str, drawn: dict[str, str], update_examples: bool
) -> None:
    path = ROOT / name
    if update_examples:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(drawn[name], encoding="utf-8")
        return
    check_picture(path, drawn[name])


def test_planted_change_fails_at_its_line(
    tmp_path: Path, drawn: dict[str, str]
) -> None:
    text = drawn[NAMES[0]]
    path = tmp_path / "docs/ja/assets/graphs/overview.svg"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    check_picture(path, text)  # an exact copy passes
    lines = text.splitlines(keepends=True)
    planted = next(i for i, line in enumerate(lines) if "AddmmBackward0" in line)
    lines[planted] = lines[planted].replace("AddmmBackward0", "MmBackward0")
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(pytest.fail.Exception) as failure:
        check_picture(path, text)
    message = str(failure.value)
    assert message.startswith(f"{relative(path)}:{planted + 1}: the committed picture")
    assert "-" + lines[planted].rstrip("\n") in message  # the diff shows the line
    assert "make update-examples" in message


def test_missing_picture_is_reported(tmp_path: Path, drawn: dict[str, str]) -> None:
    drift = picture_drift(tmp_path / "gone.svg", None, drawn[NAMES[0]])
    assert drift is not None and ":1: missing" in drift
    assert "make update-examples" in drift


def test_a_different_graph_draws_a_different_picture(drawn: dict[str, str]) -> None:
    """The picture follows the facts: drop one saved tensor and the drift test fails."""
    with isolated_state("cpu", draw.EXAMPLE):
        facts, layers, parameters = draw.load_facts()
    changed = copy.deepcopy(facts)
    node = next(n for n in changed["frozen middle"]["nodes"] if n["layer"] == 3)
    assert node["saved"] == ["mat2"]
    node["saved"] = []
    name = NAMES[0]
    language = name.split("/")[1]
    situations = draw.PICTURES[name.split("/", 2)[2]]
    picture = draw.draw(changed, layers, parameters, situations, language)
    drift = picture_drift(ROOT / name, drawn[name], picture)
    assert drift is not None and f"{name}:" in drift
    assert draw.TEXT[language]["saves nothing"] in drift


def test_drawing_is_deterministic(drawn: dict[str, str]) -> None:
    with isolated_state("cpu", draw.EXAMPLE):
        again = {relative(path): text for path, text in draw.pictures().items()}
    assert again == drawn
    for text in drawn.values():
        assert not re.search(r"0x[0-9a-f]{6,}", text), (
            "an address leaked into a picture"
        )


@pytest.mark.parametrize("name", NAMES)
def test_picture_is_accessible_and_self_contained(
    name: str, drawn: dict[str, str]
) -> None:
    text = drawn[name]
    language = name.split("/")[1]
    assert re.match(r'<svg xmlns="http://www.w3.org/2000/svg" [^>]*role="img"', text)
    assert f'lang="{language}"' in text.split("\n", 1)[0]
    assert re.search(r'aria-labelledby="title desc"', text)
    assert re.search(r'<title id="title">[^<]+</title>', text), f"{name}: no <title>"
    assert re.search(r'<desc id="desc">[^<]{40,}</desc>', text), f"{name}: no <desc>"
    # Nothing that would make the browser fetch anything: no script, link, image, font.
    assert not re.search(r"<script|href=|url\(|@import|<image", text)
    assert len(text.encode()) < 32_000, f"{name}: keep the picture small"


@pytest.mark.parametrize("picture", list(SHOWN_ON))
@pytest.mark.parametrize("language", LANGUAGES)
def test_page_shows_picture_with_alt_text(language: str, picture: str) -> None:
    page = find_pages()[language][SHOWN_ON[picture]]
    images = [
        (number, match)
        for number, line in enumerate(page.lines, start=1)
        for match in re.finditer(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)", line)
        if match["src"] == picture
    ]
    assert images, (
        f"{page.name}:1: does not show {picture}; add ![alt text]({picture}) "
        "in the section about it"
    )
    for number, match in images:
        assert len(match["alt"].strip()) >= 20, (
            f"{page.name}:{number}: the picture needs alt text that says what it shows"
        )


def test_draw_module_is_formatted_and_lint_clean() -> None:
    problems = lint_problems(DRAW)
    if problems:
        pytest.fail(problems, pytrace=False)
