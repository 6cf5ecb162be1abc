"""The pages: every code block is a tested example, and both languages stay twins."""

import ast
import re

import pytest

from support.error_index import ERRORS_PAGE, error_index_problems, recorded_texts
from support.examples import ROOT, find_examples, relative
from support.pages import (
    LANGUAGES,
    fence_problems,
    find_pages,
    heading_problems,
    orphan_problems,
    section_of,
    table_link_problems,
    twin_problems,
)

MARKER = "<!-- verified-releases -->"  # versions/verified_releases.py expands it
PAGES = find_pages()
ALL_PAGES = [page for language in LANGUAGES for page in PAGES[language].values()]
NAMES = sorted(set(PAGES["ja"]) | set(PAGES["en"]))


def fail_on(problems: list[str]) -> None:
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.mark.parametrize("page", ALL_PAGES, ids=[p.name for p in ALL_PAGES])
def test_code_blocks_are_included_examples(page) -> None:
    fail_on(fence_problems(page))


@pytest.mark.parametrize("page", ALL_PAGES, ids=[p.name for p in ALL_PAGES])
def test_headings_have_english_anchors(page) -> None:
    fail_on(heading_problems(page))


@pytest.mark.parametrize("name", NAMES)
def test_twins_match(name: str) -> None:
    fail_on(twin_problems(name, PAGES["ja"].get(name), PAGES["en"].get(name)))


def test_every_example_is_on_a_page() -> None:
    fail_on(orphan_problems(PAGES, find_examples()))


@pytest.mark.parametrize("language", LANGUAGES)
def test_comparison_table_cells_link_to_examples(language: str) -> None:
    home = PAGES[language]["index.md"]
    fail_on(table_link_problems(home, "comparison", PAGES[language]))


@pytest.mark.parametrize("language", LANGUAGES)
def test_error_index_entries_are_well_formed(language: str) -> None:
    """docs/<lang>/errors.md: each entry quotes enough of a message, links sections
    whose examples print it (as their #> lines record) and one that explains it. That
    each message an example shows when it runs is listed, and that what an entry quotes
    is a message the example raised, is checked from the runs, one example at a time:
    tests/test_examples.py::test_error_index."""
    page = PAGES[language].get(ERRORS_PAGE)
    assert page, f"docs/{language}/{ERRORS_PAGE}:1: the error message index is missing"
    recorded = [m for path in find_examples() for m in recorded_texts(path)]
    fail_on(error_index_problems(page, language, PAGES[language], recorded))


@pytest.mark.parametrize("language", LANGUAGES)
def test_library_table_cells_link_to_examples(language: str) -> None:
    """docs/*/libraries.md opens with a table whose every cell links to its proof."""
    page = PAGES[language]["libraries.md"]
    fail_on(table_link_problems(page, "at-a-glance", PAGES[language]))


def pinned(package: str) -> str:
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    match = re.search(rf"^{package}==([^\s+]+)", requirements, re.M)
    assert match, f"requirements.txt:1: {package} is not pinned with =="
    return match[1]


PAGES_WITH_EXAMPLES = [page for page in ALL_PAGES if page.includes()]


@pytest.mark.parametrize(
    "page", PAGES_WITH_EXAMPLES, ids=[p.name for p in PAGES_WITH_EXAMPLES]
)
def test_verified_with_names_the_pinned_torch(page) -> None:
    """A page that shows outputs says which torch produced them: the pinned one, and the
    marker under which the build lists every release the suite ran on (generated)."""
    version = pinned("torch")
    found = section_of(page, "verified")
    assert found, (
        f"{page.name}: no 'verified with' section; end the page with a heading "
        "{ #verified } that names the torch version and the devices the outputs ran on."
    )
    heading, _ = found
    section = "\n".join(page.lines[heading.line :])
    assert f"PyTorch {version}" in section, (
        f"{page.name}:{heading.line}: the 'verified with' section must name "
        f"PyTorch {version}, the version pinned in requirements.txt."
    )
    below = [line for line in page.lines[heading.line :] if line.strip()]
    assert below and below[0].strip() == MARKER, (
        f"{page.name}:{heading.line + 1}: put the line {MARKER} directly under the "
        "'verified with' heading; the build replaces it with the releases the suite "
        "passed on (versions/verified.jsonl)."
    )
    assert "\n".join(page.lines).count(MARKER) == 1, (
        f"{page.name}:{heading.line}: {MARKER} must appear once, in the verified section."
    )


def test_diagnose_links_reach_sections() -> None:
    """Every finding of examples/diagnose/_diagnose.py links to a section of the site
    (the same path in both languages), and both diagnose pages list every finding."""
    source = ROOT / "examples" / "diagnose" / "_diagnose.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    table = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(getattr(t, "id", None) == "FINDINGS" for t in node.targets)
    )
    findings = ast.literal_eval(table)
    problems = []
    for code, (link, _) in findings.items():
        page, _, anchor = link.partition("/#")
        for language in LANGUAGES:
            target = PAGES[language].get(f"{page.rstrip('/')}.md")
            if target is None or (anchor and anchor not in target.anchors()):
                problems.append(
                    f"{relative(source)}:1: finding {code} links to {link}, which is "
                    f"not a section of docs/{language}/; point it at one."
                )
            listed = "\n".join(PAGES[language]["diagnose.md"].lines)
            if f"`{code}`" not in listed:
                problems.append(
                    f"docs/{language}/diagnose.md:1: the finding `{code}` is not in "
                    "the findings table; add a row for it."
                )
    fail_on(problems)
