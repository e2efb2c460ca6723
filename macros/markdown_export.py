"""`make export DIR=folder`: the whole handbook as plain Markdown, for any static-site generator.

Writes, under the folder:

- ``docs/``: the complete docs tree: the hand-written pages (macros expanded), every
  generated page, the generated static files (search/names.json, the JSON export
  under api/v1/) and the assets (stylesheets, scripts, vendored Mermaid). Each page's
  front matter carries its ``title``, ``description``, ``tags`` and, where the site has
  an "Edit this page" link, ``edit_url`` (an entity page's points at its YAML file);
- ``snippets/abbreviations.md``: the glossary's abbreviations, to append to every page
  (``pymdownx.snippets`` ``auto_append``), as the MkDocs hook does;
- ``.handbook-export.json``: the files the export owns.

The pages come from ``site_files.generate``, the code the MkDocs hook runs, so the export
cannot drift from the site. Only files whose bytes changed are rewritten (an engine's
cache survives an export with nothing new); files the previous export wrote and this
one does not (a deleted entity's page) are removed; anything else in the folder is left
alone. Invalid data: the same ``file:line`` report as ``make check``, and nothing written.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import edit_links, history, llms_txt, mkdocs_config, site_files
from .cli import fail, run
from .loader import load_handbook
from .model import Handbook

ROOT = Path(__file__).resolve().parent.parent
DOCS = "docs"
SNIPPET = "snippets/abbreviations.md"
MANIFEST = ".handbook-export.json"


class ExportError(Exception):
    """The export cannot be made as asked; the message says why and what to do."""


def with_edit_url(markdown: str, url: str | None) -> str:
    """``markdown`` with ``edit_url`` in its front matter (and no ``render_macros``: already expanded)."""
    meta = site_files.FRONT_MATTER.match(markdown)
    head = site_files.RENDER_MACROS.sub("", meta[1]).strip("\n") if meta else ""
    if url:
        head += ("\n" if head else "") + f"edit_url: {json.dumps(url)}"  # a JSON string is a YAML scalar
    body = markdown[meta.end() :] if meta else "\n" + markdown
    return f"---\n{head}\n---\n{body}" if head else body.removeprefix("\n")


def docs_files(handbook: Handbook, config: dict, docs_dir: Path = ROOT / DOCS) -> tuple[dict[str, bytes], site_files.Generated]:
    """Every file of the docs tree (path relative to docs/ -> bytes), and what was generated."""
    generated = site_files.generate(handbook, config, changes=history.read(docs_dir.parent))
    url = edit_links.url_maker(config.get("repo_url"), config.get("edit_uri"), config.get("edit_uri_template"))
    files: dict[str, bytes] = {}
    for path in sorted(docs_dir.rglob("*")):
        if not path.is_file():
            continue
        src_uri = path.relative_to(docs_dir).as_posix()
        if path.suffix != ".md":
            files[src_uri] = path.read_bytes()
            continue
        text = path.read_text(encoding="utf-8")
        if site_files.uses_macros(text):
            text = site_files.expand_macros(text, generated.macros)
        files[src_uri] = with_edit_url(text, url(src_uri)).encode("utf-8")  # a hand-written page edits itself
    for src_uri, markdown in generated.pages:
        if src_uri in files:
            raise ExportError(f"docs/{src_uri} is generated from data/; remove the hand-written file")
        source = edit_links.source_of(src_uri)
        files[src_uri] = with_edit_url(markdown, source and url(source)).encode("utf-8")
    for path, pieces in generated.static:
        if llms_txt.copy_destination(path) is None:  # pages' Markdown copies: the export is that Markdown
            files[path] = "".join(pieces).encode("utf-8")
    return files, generated


def export_files(handbook: Handbook, config: dict) -> dict[str, bytes]:
    """Every file the export writes, path relative to the export folder -> bytes."""
    docs, generated = docs_files(handbook, config)
    files = {f"{DOCS}/{path}": content for path, content in docs.items()}
    files[SNIPPET] = generated.abbreviations.lstrip("\n").encode("utf-8")
    return files


@dataclass
class Changes:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def _owned(out: Path) -> set[str]:
    """The files the previous export wrote, from its manifest (only paths inside ``out``)."""
    try:
        listed = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return set()
    inside = out.resolve()
    return {path for path in listed if isinstance(path, str) and (out / path).resolve().is_relative_to(inside)}


def write(out: Path, files: dict[str, bytes]) -> Changes:
    """Bring ``out`` up to date with ``files``, touching only what differs."""
    changes = Changes()
    previous = _owned(out)
    for path, content in files.items():
        target = out / path
        if target.is_file() and target.stat().st_size == len(content) and target.read_bytes() == content:
            changes.unchanged += 1
            continue  # untouched, so its modification time still says "not changed"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        changes.written.append(path)
    for path in sorted(previous - files.keys()):
        target = out / path
        target.unlink(missing_ok=True)
        changes.removed.append(path)
        for folder in target.parents:  # folders the removal emptied, up to the export folder
            if folder == out or any(folder.iterdir()):
                break
            folder.rmdir()
    manifest = json.dumps({"files": sorted(files)}, indent=1) + "\n"
    if not (out / MANIFEST).is_file() or (out / MANIFEST).read_text(encoding="utf-8") != manifest:
        (out / MANIFEST).write_text(manifest, encoding="utf-8")
    return changes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make export DIR=folder", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where to write (created if missing)")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="data folder (default: data/)")
    args = parser.parse_args(argv)
    return run(lambda: _export(args), after="export: nothing written; fix the problems above (`make check` lists them)")


def _export(args: argparse.Namespace) -> int:
    try:
        files = export_files(load_handbook(args.data, Path.cwd()), mkdocs_config.read(ROOT))
    except ExportError as error:
        return fail(f"export: nothing written: {error}")
    args.folder.mkdir(parents=True, exist_ok=True)
    changes = write(args.folder, files)
    print(
        f"export: {len(files)} files in {args.folder}: {len(changes.written)} written, "
        f"{len(changes.removed)} removed, {changes.unchanged} unchanged"
    )
    return 0


def zensical_project(project: Path, data: Path) -> Path:
    """Export ``data`` into ``project`` and write a zensical.yml there (Zensical's project root)
    that inherits the repository's; return the config file. For the engine tests and benchmark."""
    config = yaml.safe_load((ROOT / "zensical.yml").read_text(encoding="utf-8"))
    if main([str(project / Path(config["docs_dir"]).parent), "--data", str(data)]) != 0:
        raise RuntimeError(f"make export failed on {data}")
    config["INHERIT"] = str(ROOT / config["INHERIT"])
    config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    path = project / "zensical.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


if __name__ == "__main__":
    sys.exit(main())
