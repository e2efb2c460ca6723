"""The exact-name map and the synonyms file: normalisation, shards, validation, size at 10×."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.scale import generate
from conftest import FIXTURES, ROOT
from macros import explorer, search_names
from macros.loader import DataError, load_handbook
from macros.xref import CrossReference

HANDBOOK = load_handbook(ROOT / "data", ROOT)


def shards_of(handbook) -> dict[str, dict]:
    xref = CrossReference(handbook)
    areas = [area for area, _ in explorer.area_options(handbook)]
    return search_names.shards(handbook, lambda e: explorer.areas_of(e, xref), areas)


def lookup(shards: dict, query: str, part: str = "names") -> list[str]:
    key = search_names.normalize(query)
    shard = shards[search_names.shard_of(key)]
    return [shard["pages"][i][0] for i in shard.get(part, {}).get(key, [])]


@pytest.mark.parametrize("spellings", [["on-call", "On call", "oncall", "ON_CALL"], ["pub/sub", "pub sub", "Pub-Sub"], ["Café", "cafe"]])
def test_normalisation_ignores_case_spaces_hyphens_slashes_and_accents(spellings):
    assert len({search_names.normalize(s) for s in spellings}) == 1


def test_names_are_titles_abbreviations_aliases_and_titles_without_brackets():
    orm = HANDBOOK.get(("glossary", "orm"))
    assert {"Object-relational mapping", "ORM", "O/R mapping"} <= set(search_names.names_of(orm))
    aws = HANDBOOK.get(("technologies", "aws"))
    assert "Amazon Web Services" in search_names.names_of(aws)  # "Amazon Web Services (AWS)" without "(AWS)"


def test_the_map_finds_each_page_by_every_name_and_synonyms_in_order():
    shards = shards_of(HANDBOOK)
    assert lookup(shards, "k8s") == ["technologies/kubernetes/"]
    assert lookup(shards, "on call") == ["activities/on-call/"]
    assert lookup(shards, "O/R mapping") == ["glossary/orm/"]
    for entity in HANDBOOK.all():
        url = f"{entity.kind.folder}/{entity.id}/"
        assert all(url in lookup(shards, name) for name in search_names.names_of(entity)), entity.source
    synonym = next(s for s in HANDBOOK.synonyms if s.term == "pub/sub")
    assert lookup(shards, "pub sub", "synonyms") == [f"{folder}/{entity_id}/" for folder, entity_id in synonym.targets]
    kafka = next(page for page in shards["ka"]["pages"] if page[0] == "technologies/kafka/")
    areas = [area for area, _ in explorer.area_options(HANDBOOK)]
    xref = CrossReference(HANDBOOK)
    wanted = explorer.areas_of(HANDBOOK.get(("technologies", "kafka")), xref)
    assert kafka[1:3] == ["Apache Kafka", "technology"] and [areas[i] for i in kafka[3]] == wanted and wanted


def test_the_vocabulary_lists_every_shard_written():
    xref = CrossReference(HANDBOOK)
    written = dict(
        search_names.files(HANDBOOK, lambda e: explorer.areas_of(e, xref), explorer.kind_options(), explorer.area_options(HANDBOOK))
    )
    vocabulary = json.loads(written[search_names.VOCABULARY])
    assert {f"{search_names.FOLDER}/{c}.json" for c in vocabulary["shards"]} == set(written) - {search_names.VOCABULARY}
    assert vocabulary["kind_options"] == [list(o) for o in explorer.kind_options()]
    assert max(len(text.encode()) for text in written.values()) < 4 * 1024


@pytest.mark.slow
def test_the_largest_shard_stays_small_at_ten_times_the_data(tmp_path):
    generate(ROOT / "data", tmp_path / "data", 10)
    scaled = shards_of(load_handbook(tmp_path / "data", tmp_path))
    sizes = {name: len(json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()) for name, content in scaled.items()}
    print(f"\nnames at 10x: {sum(sizes.values()) / 1024:.0f} KB in all, largest shard {max(sizes.values()) / 1024:.1f} KB")
    assert max(sizes.values()) <= 40 * 1024  # a tenth of the first search's 10× budget (600 KB)


@pytest.fixture
def data(tmp_path) -> Path:
    shutil.copytree(FIXTURES / "mini" / "data", tmp_path / "data")
    (tmp_path / "data" / "search").mkdir()
    return tmp_path / "data"


def write_synonyms(data: Path, text: str) -> None:
    (data / "search" / "synonyms.yml").write_text(text, encoding="utf-8")


def test_valid_synonyms_load(data):
    write_synonyms(data, "- term: in-memory store\n  targets: [technology:redis, technology:valkey]\n")
    handbook = load_handbook(data, data.parent)
    assert [(s.term, s.targets) for s in handbook.synonyms] == [("in-memory store", (("technologies", "redis"), ("technologies", "valkey")))]


def test_synonym_problems_are_all_reported_with_file_and_line(data):
    write_synonyms(
        data,
        "# comment\n"
        "- term: key value\n  targets: [technology:rediss, term:cache]\n"  # line 2-3: unknown target
        "- term: Key-Value\n  targets: [technology:redis]\n"  # line 4: repeats line 2
        "- term: valkey\n  targets: [technology:redis]\n"  # line 6: a title
        "- term: test runner\n  targets: [technology:pytest, technology:pytest]\n"  # line 9: twice
        "- term: oops\n  target: [technology:redis]\n",  # line 10-11: wrong field
    )
    with pytest.raises(DataError) as caught:
        load_handbook(data, data.parent)
    found = [str(p) for p in caught.value.problems]
    where = "data/search/synonyms.yml"
    assert f"{where}:3: unknown target 'technology:rediss'; did you mean 'technology:redis'?" in found
    assert any(p.startswith(f"{where}:6: 'valkey' is already a name of data/technologies/valkey.yml") for p in found), found
    assert f"{where}:9: target 'technology:pytest' is listed twice; keep one" in found
    assert any(p.startswith(f"{where}:11: unknown field 'target'") for p in found), found
    # Line 4 repeats line 2 only once line 2 is valid: fix the target and it is reported.
    text = (data / "search" / "synonyms.yml").read_text(encoding="utf-8").replace("rediss", "redis")
    write_synonyms(data, text)
    with pytest.raises(DataError) as caught:
        load_handbook(data, data.parent)
    assert f"{where}:4: 'Key-Value' repeats the term on line 2: merge their targets" in [str(p) for p in caught.value.problems]


def test_a_synonyms_file_that_is_not_a_list_is_reported(data):
    write_synonyms(data, "term: x\n")
    with pytest.raises(DataError) as caught:
        load_handbook(data, data.parent)
    assert [str(p) for p in caught.value.problems] == [
        "data/search/synonyms.yml:1: the file must be a list of entries, each starting with '- '"
    ]


def test_make_check_reports_synonym_problems(data):
    write_synonyms(data, "- term: key value\n  targets: [technology:nope]\n")
    result = subprocess.run([sys.executable, "-m", "macros.check", str(data)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1 and "synonyms.yml:2: unknown target 'technology:nope'" in result.stderr
    assert "Traceback" not in result.stderr
