"""Built pages parsed once per worker: several test files read every page of the same site.

BeautifulSoup takes about 11 s for the whole 1x handbook on one core, and a dozen tests
read it all; each xdist worker keeps the trees (about 400 MB for the 1x site). The
trees are shared: a test must not change one (copy it first).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup


@cache
def soup(path: Path) -> BeautifulSoup:
    """The parsed page, with ``site_path``: where it is in its site ('/' or '/technologies/redis/')."""
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    site = next(parent for parent in path.parents if (parent / "sitemap.xml").exists())
    folder = path.parent.relative_to(site).as_posix()
    page.site_path = "/" if folder == "." else f"/{folder}/"
    return page


def page_of(site: Path, folder: str, entity_id: str) -> BeautifulSoup:
    return soup(site / folder / entity_id / "index.html")


def hrefs(page: BeautifulSoup) -> frozenset[str]:
    """Where the article's links point, as site paths like 'technologies/redis/' (worked out once a page)."""
    found = page.__dict__.get("article_hrefs")  # not page.x: a Tag answers unknown attributes with find()
    if found is None:
        found = set()
        for a in page.select("article a[href]"):
            parts = urlsplit(urljoin(page.site_path, a["href"]))
            if not parts.scheme and not parts.netloc:
                found.add(parts.path.lstrip("/"))
        found = page.article_hrefs = frozenset(found)
    return found


@cache
def ids(path: Path) -> frozenset[str]:
    """Every id on the page."""
    return frozenset(tag.get("id") for tag in soup(path).find_all(id=True))
