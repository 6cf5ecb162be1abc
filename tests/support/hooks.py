"""Import a mkdocs hook (hooks/<name>.py) as a module, for tests of its functions."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from support.examples import ROOT


def load_hook(name: str) -> ModuleType:
    module_name = f"{name}_hook"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(
        module_name, ROOT / "hooks" / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module
