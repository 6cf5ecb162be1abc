"""Notebook pages (mkdocs-jupyter): executed only when something they depend on changed,
and published as plain, light HTML.

mkdocs-jupyter executes and renders each notebook page. Its own cache is keyed on the
notebook text only, so it would show stale results after a change to examples/measure/
or torch; it stays off. This hook wraps the page's rendering instead:

- The rendered notebook is stored in ``<cache_dir>/executed/`` under a key made of the
  notebook's source, every file below examples/measure/, the torch version and the
  device fingerprint (torch's build and the accelerators this machine shows), with the
  renderer's settings. The notebook is executed again only when one of these changes.
- The stored HTML carries ~600 KB of Jupyter CSS and scripts and base64 images. Each
  build turns it into plain HTML that the theme styles (code folded in <details>,
  outputs as text, tables and images), and writes each image as a file beside the page.

No torch import here: it would cost seconds on every build. The device fingerprint
reads what decides the device instead (see ``device_fingerprint``).
"""

from __future__ import annotations

import base64
import glob
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import platform
import types
from collections.abc import Mapping
from pathlib import Path

from bs4 import BeautifulSoup, Tag

ROOT = Path(__file__).resolve().parents[1]
DEPENDENCIES = ROOT / "examples/measure"  # what the notebook pages import and run
# Environment variables that change which accelerators torch sees.
VISIBILITY = (
    "CUDA_VISIBLE_DEVICES",
    "CUDA_DEVICE_ORDER",
    "HIP_VISIBLE_DEVICES",
    "ROCR_VISIBLE_DEVICES",
    "ZE_AFFINITY_MASK",
    "PYTORCH_ENABLE_MPS_FALLBACK",
)
# Renderer settings that change the stored HTML.
RENDER_OPTIONS = (
    "execute",
    "kernel_name",
    "theme",
    "allow_errors",
    "show_input",
    "no_input",
    "no_prompt",
    "remove_tag_config",
    "highlight_extra_classes",
    "include_requirejs",
    "custom_mathjax_url",
    "toc_depth",
)
FOLD = {"ja": "コード", "en": "Code"}
# The theme styles everything else; mode names in a table's first column stay whole.
STYLE = "<style>.notebook td:first-child code { white-space: nowrap; }</style>"
MAX_PAGE_BYTES = 150_000  # a built notebook page above this fails the build
ALT = {"ja": "この実行で描いた図", "en": "Chart drawn by this run"}

log = logging.getLogger("mkdocs.hooks.notebooks")


# ---------------------------------------------------------------- the cache key


def dependency_files(folder: Path = DEPENDENCIES) -> dict[str, bytes]:
    """Every file below ``folder`` (bytecode left out), by path relative to it."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


def torch_version() -> str:
    """The installed torch's version, without importing it."""
    return importlib.metadata.version("torch")


def device_fingerprint() -> str:
    """What decides the devices the notebook measures, read without importing torch:
    the machine, torch's build (CUDA / ROCm / CPU), the GPUs the drivers list and the
    variables that hide GPUs from torch."""
    parts = [
        platform.node(),
        platform.system(),
        platform.machine(),
        platform.processor(),
    ]
    spec = importlib.util.find_spec("torch")
    if spec is not None and spec.origin:
        build = Path(spec.origin).parent / "version.py"
        parts.append(build.read_text(encoding="utf-8") if build.is_file() else "")
    parts += [f"{name}={os.environ.get(name)}" for name in VISIBILITY]
    for info in sorted(glob.glob("/proc/driver/nvidia/gpus/*/information")):
        parts.append(Path(info).read_text(encoding="utf-8", errors="replace"))
    parts += sorted(glob.glob("/dev/nvidia[0-9]*")) + sorted(glob.glob("/dev/kfd"))
    parts += sorted(glob.glob("/sys/class/kfd/kfd/topology/nodes/*/name"))
    return "\n".join(parts)


def cache_key(
    notebook: bytes,
    dependencies: Mapping[str, bytes],
    torch: str,
    device: str,
    renderer: str = "",
) -> str:
    """Changes when any input changes: the notebook's source, a file it depends on
    (name or content), the torch version, the device, the renderer's settings."""
    digest = hashlib.sha256()
    fields = [
        ("notebook", notebook),
        ("torch", torch.encode()),
        ("device", device.encode()),
    ]
    fields += [(f"file {name}", data) for name, data in sorted(dependencies.items())]
    fields.append(("renderer", renderer.encode()))
    for name, data in fields:  # length-prefixed: no two inputs read the same
        digest.update(f"{name}:{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()[:32]


def renderer_settings(plugin_config: Mapping) -> str:
    version = importlib.metadata.version("mkdocs-jupyter")
    options = {name: plugin_config.get(name) for name in RENDER_OPTIONS}
    return f"mkdocs-jupyter {version} " + json.dumps(
        options, sort_keys=True, default=repr
    )


# ------------------------------------------------------------- plain HTML output


def _language(config) -> str:
    language = config["theme"].get("language") or "en"
    return language if language in FOLD else "en"


def _heading_links(soup: BeautifulSoup) -> None:
    for anchor in soup.select("a.anchor-link"):
        heading = anchor.parent
        if not heading.get("id"):  # the title: the theme gives it no permalink
            anchor.decompose()
            # An empty id is no address, and the search index would list the page twice.
            heading.attrs.pop("id", None)
            continue
        anchor["class"] = ["headerlink"]
        anchor["title"] = "Permanent link"


def simplify(html: str, language: str) -> tuple[str, dict[str, bytes]]:
    """Jupyter's markup to the theme's plain HTML; returns (html, {image name: bytes}).

    Kept: markdown cells, code (folded), text, markdown and image outputs.
    Dropped: the inlined CSS, scripts (MathJax, Mermaid, clipboard) and prompts.
    """
    soup = BeautifulSoup(html, "html.parser")
    images: dict[str, bytes] = {}
    out = []
    for cell in soup.select("div.jp-Cell"):
        if cell.find_parent(
            "div", class_="jp-Cell"
        ):  # mkdocs-jupyter nests each code cell
            continue
        classes = cell.get("class", [])
        if "jp-MarkdownCell" in classes:
            rendered = cell.select_one(".jp-RenderedMarkdown")
            if rendered is not None:
                _heading_links(rendered)
                out.append(rendered.decode_contents())
            continue
        source = cell.select_one(".clipboard-copy-txt")
        if source is not None and source.get_text().strip():
            code = soup.new_tag("code")
            code.string = source.get_text()
            pre = soup.new_tag("pre")
            pre.append(code)
            out.append(
                f'<details class="notebook-code"><summary>{FOLD[language]}</summary>'
                f'<div class="language-python highlight">{pre}</div></details>'
            )
        for output in cell.select(".jp-OutputArea-output"):
            out.append(_output(output, language, images))
    body = "\n".join(part for part in out if part)
    return f'<div class="notebook">\n{STYLE}\n{body}\n</div>', images


def _output(output: Tag, language: str, images: dict[str, bytes]) -> str:
    image = output.find("img")
    if image is not None and str(image.get("src", "")).startswith(
        "data:image/png;base64,"
    ):
        data = base64.b64decode(image["src"].split(",", 1)[1])
        name = f"figure-{hashlib.sha256(data).hexdigest()[:12]}.png"
        images[name] = data
        width = image.get("width")
        size = f' width="{width}"' if width else ""
        image = f'<img src="{name}" alt="{ALT[language]}"{size} loading="lazy">'
        return f'<p><a href="{name}">{image}</a></p>'  # full size, on a phone too
    markdown = output.select_one(".jp-RenderedMarkdown") or (
        output if "jp-RenderedMarkdown" in output.get("class", []) else None
    )
    if markdown is not None:
        _heading_links(markdown)
        return markdown.decode_contents()
    text = output.find("pre")
    if text is not None:
        soup = BeautifulSoup("", "html.parser")
        pre, code = (
            soup.new_tag("pre", attrs={"class": "notebook-output"}),
            soup.new_tag("code"),
        )
        code.string = text.get_text()
        pre.append(code)
        return str(pre)
    return output.decode_contents()


# ------------------------------------------------------------------- the hook


class _State:
    used: set[Path] = set()


def on_pre_build(config) -> None:
    _State.used = set()


def _plugin(config):
    return config["plugins"].get("mkdocs-jupyter")


def _cache_dir(config) -> Path:
    return Path(_plugin(config).config["cache_dir"]) / "executed"


def _prefix(config) -> str:
    """One prefix per docs_dir: two builds sharing the folder never evict each other."""
    return hashlib.sha256(str(Path(config["docs_dir"]).resolve()).encode()).hexdigest()[
        :8
    ]


def on_pre_page(page, config, files):
    """Runs after mkdocs-jupyter's on_pre_page, which replaced ``page.render``."""
    plugin = _plugin(config)
    if plugin is None or not plugin.should_include(page.file):
        return page
    from mkdocs.structure.toc import get_toc
    from mkdocs_jupyter import plugin as jupyter

    source = Path(page.file.abs_src_path)
    key = cache_key(
        source.read_bytes(),
        dependency_files(),
        torch_version(),
        device_fingerprint(),
        renderer_settings(plugin.config),
    )
    path = _cache_dir(config) / f"{_prefix(config)}-{key}.json"
    _State.used.add(path)
    render = page.render
    language = _language(config)

    def cached_render(self, config, files):
        if path.is_file():
            log.info(
                "Notebook unchanged, reusing its last execution: %s", page.file.src_uri
            )
            stored = json.loads(path.read_text(encoding="utf-8"))
        else:
            render(config, files)  # mkdocs-jupyter: executes and renders
            tokens, title = jupyter._get_nb_toc_tokens(
                str(source), plugin.config["toc_depth"]
            )
            stored = {"content": self.content, "toc_tokens": tokens, "title": title}
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(stored), encoding="utf-8")
            temporary.replace(path)
        self.toc = get_toc(stored["toc_tokens"])
        if stored["title"] is not None and not plugin.config["ignore_h1_titles"]:
            self.title = stored["title"]
        self.content, images = simplify(stored["content"], language)
        folder = Path(config["site_dir"]) / Path(page.file.dest_uri).parent
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in images.items():
            (folder / name).write_bytes(data)

    page.render = types.MethodType(cached_render, page)
    return page


def check_size(html: str, name: str) -> None:
    """A notebook page that grew past MAX_PAGE_BYTES fails the build, naming it."""
    size = len(html.encode("utf-8"))
    if size > MAX_PAGE_BYTES:
        from mkdocs.exceptions import PluginError

        raise PluginError(
            f"{name}: the built notebook page is {size:,} bytes, over {MAX_PAGE_BYTES:,}. "
            "Print less, or show it as a chart (images are written as files beside the page)."
        )


def on_post_page(output: str, page, config) -> str:
    plugin = _plugin(config)
    if plugin is not None and plugin.should_include(page.file):
        check_size(output, page.file.src_uri)
    return output


def on_post_build(config) -> None:
    """Forget stored executions of this docs_dir that this build did not use."""
    folder = _cache_dir(config)
    for stale in folder.glob(f"{_prefix(config)}-*.json"):
        if stale not in _State.used:
            stale.unlink(missing_ok=True)
