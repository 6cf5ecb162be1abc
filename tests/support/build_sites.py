"""Run ``mkdocs build --strict`` on several configurations in one process.

    python tests/support/build_sites.py RESULTS.json CONFIG.yml [CONFIG.yml ...]

Each build is the real command line (mkdocs' own ``cli``), one after the other, so mkdocs,
Material and mkdocs-jupyter are imported once instead of once per build. Writes, for each
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
    Path(results).write_text(
        json.dumps([build(config) for config in configs]), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
