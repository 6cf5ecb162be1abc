"""Every page describes itself: its own ``description``, in its own language.

- A Markdown page has it in its front matter (``description: "…"``, the file's first
  lines); a notebook page (docs/*/measure.py) in its jupytext header, as notebook
  metadata (``#   description: "…"`` under ``# jupyter:``), which the notebook itself
  ignores. overrides/main.html writes it as the page's meta description and its Open
  Graph and Twitter card description, next to the page's own title.
- A page without one, or two pages of one build with the same one, fail the build,
  naming the file and how to fix it.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError

# A percent-format notebook's header: "# ---" lines of YAML behind "# ", up to "# ---".
_HEADER = re.compile(r"\A# ---\n((?:#.*\n)*?)# ---\n")

# description -> the first page that has it, for this build
_seen: dict[str, str] = {}


def notebook_description(source: str) -> str | None:
    """``jupyter.description`` from a percent-format notebook's YAML header."""
    header = _HEADER.match(source)
    if not header:
        return None
    text = "\n".join(line[2:] for line in header.group(1).splitlines())
    data = yaml.safe_load(text) or {}
    value = (data.get("jupyter") or {}).get("description")
    return value if isinstance(value, str) else None


def source_description(path: Path) -> str | None:
    """A page's description from its source file: the front matter of a Markdown page,
    the jupytext header of a notebook page (for tests: the build reads mkdocs' meta)."""
    source = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        return notebook_description(source)
    front = re.match(r"\A---\n(.*?)\n---\n", source, re.DOTALL)
    data = yaml.safe_load(front.group(1)) if front else None
    value = data.get("description") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def _source_name(page, config) -> str:
    path = Path(page.file.abs_src_path)
    try:
        return path.relative_to(Path(config["config_file_path"]).parent).as_posix()
    except ValueError:
        return str(path)


def on_pre_build(config) -> None:
    _seen.clear()


def on_page_context(context, page, config, nav):
    if page.file is None or not page.file.abs_src_path:
        return context
    name = _source_name(page, config)
    if page.file.src_uri.endswith(".py"):
        source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
        description = notebook_description(source)
        where = f'{name}:2: add `#   description: "…"` under `# jupyter:`'
        if description:
            page.meta["description"] = description
    else:
        description = page.meta.get("description")
        where = f'{name}:1: add front matter `---` / `description: "…"` / `---`'
    if not isinstance(description, str) or not description.strip():
        raise PluginError(
            f"{where}: the page has no description of its own (a sentence or two, in "
            "its language, for search engines and link previews)"
        )
    if description in _seen:
        raise PluginError(
            f"{name}:1: the same description as {_seen[description]}; "
            "each page describes itself"
        )
    _seen[description] = name
    return context
