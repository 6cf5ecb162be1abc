"""Is site/ already what `make build` would build now? A digest of everything it reads.

    python tools/site_inputs.py digest            print the digest of the inputs now
    python tools/site_inputs.py check RECORD      exit 0 when RECORD holds that digest
                                                  and site/ (both languages) is there

The inputs: every file below docs/, examples/, hooks/, overrides/, versions/ and tools/,
the two configurations, requirements.txt and the Makefile; the variables the build reads
(SITE_URL, SITE_URL_EN); the Python version and every package installed where this runs;
the device fingerprint the notebook hook keys its measurement on. No torch import: this
runs before every `make build` and must cost well under a second.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("docs", "examples", "hooks", "overrides", "versions", "tools")
FILES = ("mkdocs.yml", "mkdocs.en.yml", "requirements.txt", "Makefile")
VARIABLES = ("SITE_URL", "SITE_URL_EN")
BUILT = ("site/index.html", "site/en/index.html")


@functools.cache
def _device_fingerprint() -> str:
    spec = importlib.util.spec_from_file_location(
        "notebooks", ROOT / "hooks/notebooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.device_fingerprint()


@functools.cache
def _packages() -> str:
    """Every installed distribution and its version (read once per process)."""
    return "\n".join(
        sorted(
            f"{dist.metadata['Name']}=={dist.version}"
            for dist in importlib.metadata.distributions()
        )
    )


def _files() -> list[Path]:
    found = [ROOT / name for name in FILES]
    for folder in FOLDERS:
        found += [
            path
            for path in (ROOT / folder).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
        ]
    return sorted(found)


def digest() -> str:
    """Changes when any input of the build changes (length-prefixed fields)."""
    fields = [
        (f"file {path.relative_to(ROOT).as_posix()}", path.read_bytes())
        for path in _files()
    ]
    fields += [(f"env {name}", os.environ.get(name, "").encode()) for name in VARIABLES]
    fields.append(("python", platform.python_version().encode()))
    fields.append(("packages", _packages().encode()))
    fields.append(("device", _device_fingerprint().encode()))
    hasher = hashlib.sha256()
    for name, data in fields:
        hasher.update(f"{name}:{len(data)}:".encode())
        hasher.update(data)
    return hasher.hexdigest()


def up_to_date(record: Path) -> bool:
    if not all((ROOT / name).is_file() for name in BUILT):
        return False
    return record.is_file() and record.read_text(encoding="utf-8").strip() == digest()


def main(argv: list[str]) -> int:
    if argv == ["digest"]:
        print(digest())
        return 0
    if len(argv) == 2 and argv[0] == "check":
        return 0 if up_to_date(Path(argv[1])) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
