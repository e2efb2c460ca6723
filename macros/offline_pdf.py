"""`make pdf`, second step: print the single-page handbook to a PDF with headless Chromium.

    python -m macros.offline_pdf [SITE]     (default: site/, built with HANDBOOK_OFFLINE=1)

The built site is served on 127.0.0.1 and ``print/`` printed to ``handbook.pdf`` at the
site's root, with bookmarks from the headings (``outline``) and a tagged, searchable text
layer. Every request that would leave the local server is blocked, and the print fails if
there was one. Links to other pages of the site are pointed at the published site
(``site_url`` in mkdocs.yml), so they still work from the file. Chromium writes the
tagged structure (needed for the bookmarks) as thousands of loose objects; pikepdf (qpdf)
packs them into compressed object streams, which more than halves the file. Needs
Playwright and pikepdf (requirements-dev.txt) and Chromium (CHROMIUM_PATH, default
Debian's /usr/bin/chromium).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import mkdocs_config
from .cli import fail
from .browser import CHROMIUM, CHROMIUM_FLAGS, block_outside_requests, missing, serve
from .offline_copy import PAGE, PDF

ROOT = Path(__file__).resolve().parent.parent
# Small running header and footer; Chromium fills in the classes (title, page numbers).
HEADER = '<div style="font-size:7pt;width:100%;margin:0 12mm;color:#555"><span class="title"></span></div>'
FOOTER = (
    '<div style="font-size:7pt;width:100%;margin:0 12mm;text-align:right;color:#555">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)
# Before printing: every <details> open, and links to the rest of the site pointed at the
# published site (a link to 127.0.0.1 would be useless in the file).
PREPARE = """([local, published]) => {
  document.querySelectorAll("details").forEach((details) => { details.open = true; });
  for (const link of document.querySelectorAll("a[href]")) {
    if (link.getAttribute("href").startsWith("#")) continue;
    if (link.href.startsWith(local)) link.href = published + link.href.slice(local.length);
  }
}"""
# Material draws ```mermaid blocks once its bundle has run; print after the last one.
DIAGRAMS_DRAWN = "() => document.querySelectorAll('pre.mermaid').length === 0"


class PrintError(Exception):
    """Printing failed for a reason the reader can fix; the message says how."""


@dataclass
class Printed:
    pdf: Path
    seconds: float
    outside_requests: list[str] = field(default_factory=list)


def print_pdf(site: Path, published_url: str, chromium: str = CHROMIUM) -> Printed:
    """Print ``site``'s single page to ``site/handbook.pdf``; return where, how long, and any
    request that tried to leave the machine (blocked)."""
    from playwright.sync_api import sync_playwright  # a test/tool dependency: imported when printing

    page_file = site / PAGE.replace(".md", ".html")
    if not page_file.is_file():
        raise PrintError(f"{page_file} is missing: build the site with HANDBOOK_OFFLINE=1 first (`make pdf` does both)")
    if missing(chromium):
        raise PrintError(missing(chromium))
    started = time.perf_counter()
    pdf = site / PDF
    raw = pdf.with_suffix(".chromium.pdf")
    with serve(site) as local, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            outside = block_outside_requests(page, local)
            page.goto(local + PAGE.removesuffix("index.md"), wait_until="networkidle", timeout=120_000)
            page.wait_for_function(DIAGRAMS_DRAWN, timeout=60_000)
            page.evaluate(PREPARE, [local, published_url])
            page.pdf(
                path=str(raw),
                format="A4",
                margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                print_background=True,
                display_header_footer=True,
                header_template=HEADER,
                footer_template=FOOTER,
                outline=True,  # bookmarks from the headings
                tagged=True,  # a structured, searchable text layer
            )
        finally:
            browser.close()
    _compact(raw, pdf)
    return Printed(pdf, time.perf_counter() - started, outside)


def _compact(raw: Path, pdf: Path) -> None:
    """``raw`` rewritten to ``pdf`` with object streams; the same pages, text and bookmarks."""
    import pikepdf

    with pikepdf.open(raw) as document:
        document.save(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate, recompress_flate=True)
    raw.unlink()


def _page_count(pdf: Path) -> str:
    try:
        from pypdf import PdfReader
    except ImportError:  # only the report needs it
        return "?"
    return str(len(PdfReader(pdf).pages))


def main(argv: list[str]) -> int:
    site = Path(argv[0]) if argv else ROOT / "site"
    published = mkdocs_config.read(ROOT).get("site_url") or ""
    try:
        printed = print_pdf(site, published)
    except PrintError as error:
        return fail(f"make pdf: {error}")
    if printed.outside_requests:
        printed.pdf.unlink(missing_ok=True)
        listed = "\n  ".join(printed.outside_requests)
        return fail(f"make pdf: the page asked for addresses outside this machine (blocked, no PDF written):\n  {listed}")
    size = printed.pdf.stat().st_size / 1_000_000
    print(f"{printed.pdf}: {_page_count(printed.pdf)} pages, {size:.1f} MB, printed in {printed.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
