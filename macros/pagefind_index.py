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
"""

from __future__ import annotations

import logging
import re
import subprocess
from pathlib import Path

from mkdocs.exceptions import Abort
from pagefind_bin import get_executable

log = logging.getLogger("mkdocs.hooks.handbook.search")
OUTPUT = "pagefind"  # site/pagefind/
# Inside indexed pages, never indexed: tags (every page's kind and areas would match
# them), permalink signs, the edit button, and elements marked for search exclusion.
EXCLUDED = "[data-search-exclude], .md-tags, .headerlink, .md-content__button, .md-source-file"
_EXCLUDED_HEADING = re.compile(r"<h([1-6])\b[^>]*\bdata-search-exclude\b[^>]*>")
_HEADING = re.compile(r"<h([1-6])\b")
# Pagefind's ready-made interfaces: the handbook has its own (search.js) and ships none of them.
UNUSED = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*", "pagefind-highlight.js")


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


def build_index(site_dir: Path) -> None:
    """Index the built site into site_dir/pagefind/; stop the build if Pagefind fails."""
    command = [
        str(get_executable()),
        "--site", str(site_dir),
        "--output-subdir", OUTPUT,
        "--force-language", "en",  # one index, whatever a page says
        "--exclude-selectors", EXCLUDED,
        "--quiet",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        log.error("Pagefind failed:\n%s", (result.stdout + result.stderr)[-3000:])
        raise Abort("the search index could not be built (Pagefind's output above)")
    for pattern in UNUSED:
        for path in (site_dir / OUTPUT).glob(pattern):
            path.unlink()


def on_post_build(config) -> None:
    build_index(Path(config["site_dir"]))
