"""`make export`: the whole handbook as plain Markdown, written incrementally and safely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT
from macros import check, markdown_export, mkdocs_config, safe_markdown
from macros.health import edit_urls
from macros.loader import load_handbook
from macros.site_files import FRONT_MATTER

HANDBOOK = load_handbook(ROOT / "data", ROOT)
CONFIG = mkdocs_config.read(ROOT)
EDIT_URL = edit_urls(CONFIG["repo_url"], CONFIG["edit_uri"])


def export(folder: Path, data: Path = ROOT / "data") -> int:
    return markdown_export.main([str(folder), "--data", str(data)])


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under ``folder``: modification time and bytes."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.rglob("*") if p.is_file()}


def meta_of(path: Path) -> dict:
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    assert match, f"{path}: no front matter"
    return yaml.safe_load(match[1])


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    assert export(folder) == 0
    return folder


def test_every_entity_page_has_its_front_matter(exported):
    for entity in HANDBOOK.all():
        meta = meta_of(exported / "docs" / entity.page)
        assert meta["title"] == safe_markdown.attribute(entity.title), entity.source  # escaped as the theme needs
        assert meta["description"], entity.source
        assert meta["edit_url"] == EDIT_URL(entity), entity.source
        assert meta["edit_url"].endswith(f"/edit/main/{entity.source}"), entity.source
        assert meta["tags"] and all(isinstance(tag, str) for tag in meta["tags"]), entity.source
        assert "render_macros" not in meta


def test_the_tree_is_complete(exported):
    docs = exported / "docs"
    hand_written = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*") if p.is_file()}
    written = {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()}
    assert hand_written <= written  # pages and assets: stylesheets, scripts, vendored Mermaid
    for path in ("phases/index.md", "radar/index.md", "about/health.md", "contributing.md", "search/names/ku.json", "api/v1/index.json"):
        assert path in written
    assert (docs / "javascripts/vendor/mermaid/mermaid.min.js").read_bytes() == (ROOT / "docs/javascripts/vendor/mermaid/mermaid.min.js").read_bytes()
    abbreviations = (exported / markdown_export.SNIPPET).read_text(encoding="utf-8")
    for term in HANDBOOK.of("glossary"):
        if term["abbreviation"]:
            assert f"*[{term['abbreviation']}]:" in abbreviations


def test_hand_written_pages_have_their_macros_expanded(exported):
    home = (exported / "docs" / "index.md").read_text(encoding="utf-8")
    assert "{{" not in home and "{%" not in home
    assert "render_macros" not in home
    assert meta_of(exported / "docs" / "index.md")["edit_url"].endswith("/edit/main/docs/index.md")
    assert "(phases/" in home  # the workflow, listed by a macro
    # Index pages are made from many files: no edit link, as on the MkDocs site.
    assert "edit_url" not in meta_of(exported / "docs" / "phases" / "index.md")


def test_a_second_export_rewrites_nothing(exported, capsys):
    before = snapshot(exported)
    assert export(exported) == 0
    assert "0 written, 0 removed" in capsys.readouterr().out
    assert snapshot(exported) == before


def mini_copy(tmp: Path) -> Path:
    data = tmp / "data"
    shutil.copytree(FIXTURES / "mini" / "data", data)
    return data


def test_a_deleted_entity_loses_its_file_and_the_users_files_stay(tmp_path):
    data, out = mini_copy(tmp_path), tmp_path / "out"
    assert export(out, data) == 0
    valkey = out / "docs" / "technologies" / "valkey.md"
    assert valkey.is_file()
    mine = [out / "notes.txt", out / "docs" / "mine.md", out / "docs" / "technologies" / "mine.md"]
    for path in mine:
        path.write_text("mine", encoding="utf-8")
    (data / "technologies" / "valkey.yml").unlink()
    redis = data / "technologies" / "redis.yml"
    redis.write_text(redis.read_text(encoding="utf-8").replace("alternatives: [valkey]\n", ""), encoding="utf-8")
    assert export(out, data) == 0
    assert not valkey.exists()
    assert (out / "docs" / "technologies" / "redis.md").is_file()
    assert all(path.read_text(encoding="utf-8") == "mine" for path in mine)


def test_a_tampered_manifest_never_removes_files_outside_the_folder(tmp_path):
    out, outside = tmp_path / "out", tmp_path / "outside.txt"
    outside.write_text("keep", encoding="utf-8")
    out.mkdir()
    (out / markdown_export.MANIFEST).write_text('{"files": ["../outside.txt"]}', encoding="utf-8")
    assert export(out, mini_copy(tmp_path)) == 0
    assert outside.read_text(encoding="utf-8") == "keep"


def test_invalid_data_writes_nothing_and_reports_like_make_check(tmp_path, capsys):
    data, out = mini_copy(tmp_path), tmp_path / "out"
    assert export(out, data) == 0
    before = snapshot(out)
    valkey = data / "technologies" / "valkey.yml"
    valkey.write_text(valkey.read_text(encoding="utf-8").replace("category: databases", "category: databse"), encoding="utf-8")
    capsys.readouterr()
    assert export(out, data) == 1
    assert export(tmp_path / "new", data) == 1
    reported = capsys.readouterr().err
    assert check.main([str(data)]) == 1
    expected = capsys.readouterr().err.strip()
    assert "valkey.yml:3:" in expected
    assert expected in reported
    assert snapshot(out) == before
    assert not (tmp_path / "new").exists()
