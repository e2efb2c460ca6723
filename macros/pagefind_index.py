"""The search index: Pagefind, run on the built site as the last step of every build.

Pagefind (https://pagefind.app) splits its index into chunks and one fragment per page,
so a search fetches only the parts its words need, however large the handbook grows.
It runs the binary the `pagefind_bin` package ships (pinned in requirements.txt), never
a download. overrides/main.html marks what it indexes: each page's article
(``data-pagefind-body``), its kind and areas as filters, its kind's label as metadata;
docs/javascripts/search.js queries it.

Material's search skipped a section whose heading has ``data-search-exclude`` (link
lists: "What links here", "Further reading"); Pagefind ignores elements, not sections,
so each such section is wrapped in an element Pagefind ignores, in the page's HTML.

Memory: Pagefind holds every page's words and positions at once (about 300 bytes per
indexed word; 680 MB at 10x, several GB at 50x), whatever the input looks like. So the
pages are indexed in shards of bounded size, one Pagefind run each, and the shards'
bundles are merged here into the one bundle a single run would write: the same pages,
words, positions, weights, filters and metadata, with page numbers and metadata field
numbers shifted into one sequence. The merge reads one index chunk per shard at a time.
The bundle's format is Pagefind 1.5's (gzip, ``pagefind_dcd``, CBOR): the version is
checked, and tests/test_search.py compares a sharded index with a single run's.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import itertools
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import cbor2
from mkdocs.exceptions import Abort
from pagefind_bin import get_executable

log = logging.getLogger("mkdocs.hooks.handbook.search")
OUTPUT = "pagefind"  # site/pagefind/
LANGUAGE = "en"  # one index, whatever a page says
# Inside indexed pages, never indexed: tags (every page's kind and areas would match
# them), permalink signs, the edit button, and elements marked for search exclusion.
EXCLUDED = "[data-search-exclude], .md-tags, .headerlink, .md-content__button, .md-source-file"
_EXCLUDED_HEADING = re.compile(r"<h([1-6])\b[^>]*\bdata-search-exclude\b[^>]*>")
_HEADING = re.compile(r"<h([1-6])\b")
# Pagefind's ready-made interfaces: the handbook has its own (search.js) and ships none of them.
UNUSED = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*", "pagefind-highlight.js")
# Article bytes per Pagefind run: Pagefind's peak is about 20 times its pages' articles
# (100 MB for the 1x handbook's 5 MB); 12 MB keeps each run near 250 MB.
SHARD_BYTES = 12_000_000
FORMAT = "1.5.2"  # the bundle format the merge reads and writes (Pagefind's version)
SIGNATURE = b"pagefind_dcd"
CHUNK_SIZE = 20_000  # Pagefind's index chunk size: word positions per chunk
BODY = b"data-pagefind-body"


def mark_excluded_sections(html: str) -> str:
    """Wrap each section under a ``data-search-exclude`` heading (up to the next heading
    of the same or a higher level) in an element Pagefind ignores."""
    if "data-search-exclude" not in html:
        return html
    out, position = [], 0
    for heading in _EXCLUDED_HEADING.finditer(html):
        if heading.start() < position:  # inside a section already wrapped
            continue
        level = int(heading[1])
        following = (h.start() for h in _HEADING.finditer(html, heading.end()) if int(h[1]) <= level)
        end = next(following, len(html))
        out += [html[position : heading.start()], '<div data-pagefind-ignore="all">', html[heading.start() : end], "</div>"]
        position = end
    out.append(html[position:])
    return "".join(out)


def shards(site_dir: Path, budget: int = SHARD_BYTES, stop: threading.Event | None = None) -> list[list[Path]]:
    """The pages Pagefind indexes (those with a ``data-pagefind-body`` article), in path
    order, cut into runs of at most ``budget`` article bytes (at least one page each).

    A page without the marker is left out, as a single run over the site leaves it out:
    a run whose pages all lacked it would index their whole body instead."""
    groups: list[list[Path]] = [[]]
    size = 0
    for path in sorted(site_dir.rglob("*.html")):
        _check(stop)
        html = path.read_bytes()
        start = html.find(BODY)
        if start < 0:
            continue
        article = html.rfind(b"</article>") - start
        if groups[-1] and size + article > budget:
            groups.append([])
            size = 0
        groups[-1].append(path)
        size += article
    return [group for group in groups if group]


def _run_pagefind(site_dir: Path, pages: list[Path], work: Path, stop: threading.Event | None = None) -> Path:
    """Index ``pages`` alone (hard links under work/site, same URLs); return the bundle folder."""
    source, bundle = work / "site", work / "bundle"
    for page in pages:
        copy = source / page.relative_to(site_dir)
        copy.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(page, copy)
        except OSError:  # a file system without hard links
            shutil.copyfile(page, copy)
    command = [
        str(get_executable()),
        "--site", str(source),
        "--output-path", str(bundle),
        "--force-language", LANGUAGE,
        "--exclude-selectors", EXCLUDED,
        "--quiet",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        output = _wait(process, stop)
    finally:
        shutil.rmtree(source)
    if process.returncode != 0:
        log.error("Pagefind failed:\n%s", output[-3000:])
        raise Abort("the search index could not be built (Pagefind's output above)")
    return bundle


def _wait(process: subprocess.Popen, stop: threading.Event | None) -> str:
    """Pagefind's output once it exits; killed at once when ``stop`` is set."""
    while True:
        try:
            return process.communicate(timeout=None if stop is None else 0.05)[0]
        except subprocess.TimeoutExpired:
            if stop.is_set():
                process.kill()
                process.communicate()
                raise Cancelled from None


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise Abort(f"{path}: not a Pagefind {FORMAT} index file")
    return cbor2.loads(data[len(SIGNATURE) :])


def _encode(value) -> bytes:
    return gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=6, mtime=0)  # Pagefind's sizes


def _names(content: bytes, first: int = 7):
    """File names as Pagefind gives them: the language, then the start of a content hash."""
    digest = hashlib.sha1(content).hexdigest()
    return (f"{LANGUAGE}_{digest[:length]}" for length in range(first, len(digest) + 1))


def _store(folder: Path, suffix: str, content: bytes, names) -> str:
    """Write ``content`` under the first of ``names`` that is free or already holds it."""
    for name in names:
        path = folder / f"{name}{suffix}"
        if not path.exists():
            path.write_bytes(content)
            return name
        if path.read_bytes() == content:
            return name
    raise Abort(f"{folder}: no free name for a search index file")


def _place_fragment(source: Path, folder: Path, name: str) -> str:
    """Move a page's fragment into the merged bundle under the shard's name; another
    shard's different page may have it already, then this one gets a longer name."""
    if not (folder / f"{name}.pf_fragment").exists():
        os.replace(source, folder / f"{name}.pf_fragment")
        return name
    content = source.read_bytes()
    return _store(folder, ".pf_fragment", content, itertools.chain([name], _names(content, 8)))


def _absolute(pages: list, offset: int, fields: list[int] | None) -> list:
    """A word's pages, in place: page numbers un-delta'd and shifted, metadata field
    numbers (negative markers in the third list) mapped to the merged field list."""
    number = offset
    for page in pages:
        number += page[0]
        page[0] = number
        if fields:
            page[2] = [-fields[-v - 1] - 1 if v < 0 else v for v in page[2]]
    return pages


def _words(bundle: Path, meta: list, offset: int, fields: list[int] | None):
    """One shard's words in order, a chunk at a time: (word, pages, {variant form: pages})."""
    for _start, _end, chunk in meta[2]:
        for word, pages, variants in _read(bundle / "index" / f"{chunk}.pf_index")[0]:
            forms = {form: _absolute(p, offset, fields) for form, p in variants}
            yield word, _absolute(pages, offset, fields), forms


def _merged_words(streams):
    """Words from every shard in order, each with its pages from all shards."""
    for word, parts in itertools.groupby(heapq.merge(*streams, key=lambda w: w[0]), key=lambda w: w[0]):
        pages, forms = [], {}
        for _, part_pages, part_forms in parts:
            pages += part_pages
            for form, form_pages in part_forms.items():
                forms.setdefault(form, []).extend(form_pages)
        yield word, pages, forms


def _delta(pages: list) -> list:
    """Page numbers as Pagefind writes them: each the difference from the one before."""
    last = 0
    for page in pages:
        page[0], last = page[0] - last, page[0]
    return pages


def _prefixes(a: str, b: str) -> tuple[str, str]:
    common = len(list(itertools.takewhile(lambda pair: pair[0] == pair[1], zip(a, b))))
    return a[: common + 1], b[: common + 1]


def _write_chunks(words, folder: Path, stop: threading.Event | None) -> list[list[str]]:
    """Write the merged words in chunks as Pagefind cuts them; return the meta's chunk list."""
    ranges, chunk, size = [], [], 0

    def flush():
        _check(stop)
        content = _encode([[[w, _delta(p), [[f, _delta(fp)] for f, fp in v.items()]] for w, p, v in chunk]])
        ranges.append([chunk[0][0], chunk[-1][0], _store(folder, ".pf_index", content, _names(content))])

    for word in words:
        chunk.append(word)
        _, pages, forms = word
        size += sum(len(p[1]) + len(p[2]) + 1 for p in itertools.chain(pages, *forms.values())) + len(forms)
        if size >= CHUNK_SIZE:
            flush()
            chunk, size = [], 0
    if chunk:
        flush()
    for previous, following in itertools.pairwise(ranges):  # shortest distinct bounds, as Pagefind
        to, start = _prefixes(previous[1], following[0])
        if to >= previous[0]:
            previous[1] = to
        following[0] = start
    return ranges


def merge(bundles: list[Path], out: Path, stop: threading.Event | None = None) -> int:
    """Merge the shards' bundles (in page order) into one bundle at ``out``; return its page count."""
    metas = []
    for bundle in bundles:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        if entry["version"] != FORMAT or list(entry["languages"]) != [LANGUAGE]:
            raise Abort(f"Pagefind {entry['version']} wrote {list(entry['languages'])}: the merge reads {FORMAT}, {LANGUAGE}")
        meta = _read(bundle / f"pagefind.{entry['languages'][LANGUAGE]['hash']}.pf_meta")
        if meta[4]:
            raise Abort("a page sets data-pagefind-sort: the sharded search index cannot merge sorts")
        metas.append(meta)
    fields = sorted({field for meta in metas for field in meta[5]})
    for folder in ("index", "filter", "fragment"):
        (out / folder).mkdir(parents=True)
    pages, filters, offsets, offset = [], {}, [], 0
    for bundle, meta in zip(bundles, metas):
        offsets.append(offset)
        for page_hash, word_count in meta[1]:
            pages.append([_place_fragment(bundle / "fragment" / f"{page_hash}.pf_fragment", out / "fragment", page_hash), word_count])
        for name, file_hash in meta[3]:
            for value, numbers in _read(bundle / "filter" / f"{file_hash}.pf_filter")[1]:
                filters.setdefault(name, {}).setdefault(value, []).extend(n + offset for n in numbers)
        offset += len(meta[1])
    maps = [[fields.index(field) for field in meta[5]] for meta in metas]
    maps = [None if numbers == list(range(len(numbers))) else numbers for numbers in maps]  # most keep theirs
    streams = [_words(bundle, meta, shift, numbers) for bundle, meta, shift, numbers in zip(bundles, metas, offsets, maps)]
    chunks = _write_chunks(_merged_words(streams), out / "index", stop)
    filter_list = []
    for name in sorted(filters):
        content = _encode([name, [[value, filters[name][value]] for value in sorted(filters[name])]])
        filter_list.append([name, _store(out / "filter", ".pf_filter", content, _names(content))])
    meta = _encode([FORMAT, pages, chunks, filter_list, [], fields])
    meta_hash = f"{LANGUAGE}_{hashlib.sha1(meta).hexdigest()[:10]}"
    (out / f"pagefind.{meta_hash}.pf_meta").write_bytes(meta)
    for path in bundles[0].iterdir():  # the script, WASM and worker: the same in every shard
        if path.is_file() and not path.name.endswith(".pf_meta") and not any(path.match(p) for p in UNUSED):
            shutil.copyfile(path, out / path.name)
    entry = json.loads((out / "pagefind-entry.json").read_text(encoding="utf-8"))
    entry["languages"][LANGUAGE].update(hash=meta_hash, page_count=len(pages))
    (out / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return len(pages)


def build_index(site_dir: Path, budget: int = SHARD_BYTES, stop: threading.Event | None = None) -> None:
    """Index the built site into site_dir/pagefind/, a bounded shard at a time; stop the
    build if Pagefind fails. The index is made beside the old one, which is replaced only
    when it is complete. Setting ``stop`` (a newer serve rebuild) ends it between steps,
    killing a running Pagefind, with `Cancelled`; the old index is then left in place."""
    output = site_dir / OUTPUT
    groups = shards(site_dir, budget, stop)
    with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=site_dir) as work:
        bundles = []
        for n, pages in enumerate(groups):
            _check(stop)
            bundles.append(_run_pagefind(site_dir, pages, Path(work) / str(n), stop))
        merge(bundles, Path(work) / OUTPUT, stop)
        shutil.rmtree(output, ignore_errors=True)
        os.replace(Path(work) / OUTPUT, output)
    log.debug("search index: %d pages in %d Pagefind runs", sum(map(len, groups)), len(groups))


class Cancelled(Exception):
    """The index being made was stopped: a newer rebuild will make it again."""


def _check(stop: threading.Event | None) -> None:
    if stop is not None and stop.is_set():
        raise Cancelled


def on_post_build(config) -> None:
    build_index(Path(config["site_dir"]))
