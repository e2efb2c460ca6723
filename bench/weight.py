"""4. Page weight: bytes a first visit downloads, and bytes a search downloads.

Search (Pagefind, docs/javascripts/search.js) fetches nothing until the box is used; the
first search then fetches Pagefind's script and WASM, the panel's vocabulary, one shard
of exact names, and the index chunks and page fragments its words need. A second query
fetches only its own chunks and fragments. `search_download` is run on the 1× site here
and on the scaled sites by step 2 (bench/scale.py), which builds them.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

from macros.browser import CHROMIUM, CHROMIUM_FLAGS, serve

from .common import Row, verdict

PAGES = {"home": "", "technology page": "technologies/postgresql/"}
TARGET_HOME_KB = 400
SEARCH_FILES = ("/pagefind/", "/search/")
# A first query typed key by key (every intermediate search counts), then a second one.
QUERIES = ("kubernetes", "message queue")
# Issue 16: the first search ≤ 300 KB at today's size, ≤ 600 KB at 10× (and beyond).
TARGET_FIRST_SEARCH_KB = {1: 300, 10: 600}


def _size(response) -> int:
    try:
        return len(response.body())
    except Exception:  # redirects and aborted requests have no body
        return int(response.headers.get("content-length", 0))


def first_load(browser, url: str) -> tuple[int, int, int]:
    """Load url in a fresh context (empty cache); return (bytes, search bytes, requests)."""
    context = browser.new_context()
    responses = []
    context.on("response", lambda response: responses.append(response))
    page = context.new_page()
    main = page.goto(url, wait_until="networkidle")
    if main is None or main.status != 200:
        raise RuntimeError(f"{url} answered {main.status if main else 'nothing'}")
    other = search = 0
    for response in responses:
        if any(part in response.url for part in SEARCH_FILES):
            search += _size(response)
        else:
            other += _size(response)
    context.close()
    return other, search, len(responses)


def search_download(site: Path) -> tuple[tuple[int, int], tuple[int, int]]:
    """(bytes, responses) of the first search and of a second query, on a fresh visit to the home page."""
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            context = browser.new_context()
            page = context.new_page()
            page.goto(base, wait_until="networkidle")
            sizes: list[int] = []
            context.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
            found = []
            for number, query in enumerate(QUERIES):
                sizes.clear()
                if number == 0:
                    page.keyboard.press("/")
                    page.keyboard.type(query, delay=60)  # about a reader's pace: intermediate searches run
                else:
                    page.fill(".md-search__input", query)
                page.wait_for_function("q => document.querySelector('[data-hb-search]').dataset.shown === q", arg=query)
                found.append((sum(sizes), len(sizes)))
            context.close()
        finally:
            browser.close()
    return found[0], found[1]


def search_row(factor: int, first: tuple[int, int], second: tuple[int, int]) -> Row:
    target = TARGET_FIRST_SEARCH_KB[1 if factor == 1 else 10]
    return Row(
        f"4. Search download at {factor}×: first search, then a second query",
        f"first ≤ {target} KB",
        f"{first[0] / 1024:.1f} KB in {first[1]} responses; second query {second[0] / 1024:.1f} KB in {second[1]}",
        verdict(first[0] <= target * 1024),
    )


def page_weight(site: Path) -> tuple[list[Row], list[str]]:
    rows = []
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            for label, path in PAGES.items():
                other, search, requests = first_load(browser, base + path)
                home = label == "home"
                rows.append(
                    Row(
                        f"4. Page weight: {label} first load (/{path}), search not used",
                        f"≤ {TARGET_HOME_KB} KB" if home else "report",
                        f"{other / 1024:.1f} KB in {requests} responses (+ {search / 1024:.1f} KB of search files)",
                        verdict(other <= TARGET_HOME_KB * 1024 and search == 0) if home else "info",
                    )
                )
        finally:
            browser.close()
    rows.append(search_row(1, *search_download(site)))
    return rows, []
