"""Run ``mkdocs build --strict`` on several configurations in one process.

    python tests/support/build_sites.py RESULTS.json CONFIG.yml [CONFIG.yml ...]

Each build is the real command line (mkdocs' own ``cli``), one after the other, so mkdocs,
Material and mkdocs-jupyter are imported once instead of once per build, and the theme's
templates are compiled and listed once (``_share_templates``): what a build produces is
the same, only the repeated work of the later builds is skipped. Writes, for each
configuration, ``{"config": ..., "returncode": ..., "output": ...}``: the exit status the
command line would have had and everything it logged or printed. Never ``--quiet``: it hides
the warnings that ``--strict`` counts.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import sys
import traceback
from pathlib import Path

import jinja2
import jinja2.bccache


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Jinja's compiled templates, kept for the next build in this process."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def _share_templates() -> None:
    """Every build's theme environment compiles and lists templates only once.

    A bucket's key is the template's name and path, and its checksum is of the source, as
    in Jinja's file cache; the listing is kept per search path (the theme's files do not
    change while the builds run).
    """
    from mkdocs.theme import Theme

    cache = _MemoryBytecodeCache()
    listings: dict[tuple[str, ...], list[str]] = {}
    get_env = Theme.get_env
    list_templates = jinja2.FileSystemLoader.list_templates

    def shared_env(theme: Theme) -> jinja2.Environment:
        env = get_env(theme)
        env.bytecode_cache = cache
        return env

    def listed_once(loader: jinja2.FileSystemLoader) -> list[str]:
        key = tuple(map(str, loader.searchpath))
        if key not in listings:
            listings[key] = list_templates(loader)
        return list(listings[key])

    Theme.get_env = shared_env
    jinja2.FileSystemLoader.list_templates = listed_once


def build(config: str) -> dict:
    import click
    from mkdocs.__main__ import cli
    from mkdocs.commands import build as build_module

    # Forget the previous build's log state: mkdocs adds a filter that drops a message
    # it has logged before, and a stream handler per run.
    build_module.log.filters.clear()
    mkdocs_log = logging.getLogger("mkdocs")
    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        try:
            cli.main(
                ["build", "--strict", "--config-file", config], standalone_mode=False
            )
            returncode = 0
        except click.exceptions.Exit as error:
            returncode = error.exit_code
        except click.ClickException as error:  # mkdocs' Abort, a bad config
            error.show()
            returncode = error.exit_code
        except Exception:
            traceback.print_exc()
            returncode = 1
        finally:
            for handler in list(mkdocs_log.handlers):
                if handler.name == "MkDocsStreamHandler":
                    mkdocs_log.removeHandler(handler)
    return {"config": config, "returncode": returncode, "output": output.getvalue()}


def main(argv: list[str]) -> int:
    results, *configs = argv
    _share_templates()
    Path(results).write_text(
        json.dumps([build(config) for config in configs]), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
