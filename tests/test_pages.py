"""The pages: every code block is a tested example, and both languages stay twins."""

import ast
import re

import pytest

from support.examples import ROOT, find_examples, relative
from support.pages import (
    ERRORS_PAGE,
    LANGUAGES,
    error_index_problems,
    fence_problems,
    find_pages,
    heading_problems,
    orphan_problems,
    printed_messages,
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


def test_examples_print_the_messages_they_assert() -> None:
    """A caught message that an example asserts on is also printed, so that its #> lines
    show it verbatim and the error index can quote it."""
    fail_on([p for path in find_examples() for p in printed_messages(path)[1]])


@pytest.mark.parametrize("language", LANGUAGES)
def test_error_index_lists_every_printed_message(language: str) -> None:
    """docs/<lang>/errors.md quotes every caught error or warning message that an example
    prints, and nothing else; each entry links its examples and an explanation."""
    messages = [m for path in find_examples() for m in printed_messages(path)[0]]
    page = PAGES[language].get(ERRORS_PAGE)
    assert page, f"docs/{language}/{ERRORS_PAGE}:1: the error message index is missing"
    fail_on(error_index_problems(page, language, PAGES[language], messages))


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
