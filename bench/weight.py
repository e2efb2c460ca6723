"""4. Page weight: bytes a first visit downloads, and the size of the search index."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

from macros.browser import CHROMIUM, CHROMIUM_FLAGS, serve

from .common import Row, site_stats, verdict

SEARCH_INDEX = "search/search_index.json"
PAGES = {"home": "", "technology page": "technologies/postgresql/"}
TARGET_HOME_KB = 400
TARGET_INDEX_PER_PAGE_KB = 6


def first_load(browser, url: str) -> tuple[int, int, int]:
    """Load url in a fresh context (empty cache); return (bytes without index, index bytes, requests)."""
    context = browser.new_context()
    responses = []
    # Context-level, so the search worker's fetch of the index is seen too.
    context.on("response", lambda response: responses.append(response))
    page = context.new_page()
    main = page.goto(url, wait_until="networkidle")
    if main is None or main.status != 200:
        raise RuntimeError(f"{url} answered {main.status if main else 'nothing'}")
    other = index = 0
    for response in responses:
        try:
            size = len(response.body())
        except Exception:  # redirects and aborted requests have no body
            size = int(response.headers.get("content-length", 0))
        if response.url.endswith(SEARCH_INDEX):
            index += size
        else:
            other += size
    context.close()
    return other, index, len(responses)


def page_weight(site: Path) -> tuple[list[Row], list[str]]:
    rows, notes = [], []
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            for label, path in PAGES.items():
                other, index, requests = first_load(browser, base + path)
                home = label == "home"
                rows.append(
                    Row(
                        f"4. Page weight: {label} first load (/{path}), without search index",
                        f"≤ {TARGET_HOME_KB} KB" if home else "report",
                        f"{other / 1024:.1f} KB in {requests} responses (+ {index / 1024:.1f} KB search index)",
                        verdict(other <= TARGET_HOME_KB * 1024) if home else "info",
                    )
                )
        finally:
            browser.close()
    pages, _ = site_stats(site)
    index_bytes = (site / SEARCH_INDEX).stat().st_size
    per_page = index_bytes / pages
    rows.append(
        Row(
            "4. Search index size per HTML page",
            f"≤ {TARGET_INDEX_PER_PAGE_KB} KB per page",
            f"{per_page / 1024:.2f} KB per page ({index_bytes / 1024:.0f} KB for {pages} pages)",
            verdict(per_page <= TARGET_INDEX_PER_PAGE_KB * 1024),
        )
    )
    return rows, notes
