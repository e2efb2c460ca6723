"""The Atom feed of What's new (RFC 4287): one entry per page changed, newest first.

Links are absolute (``site_url``), as feed readers need; a change to a page that is
gone links to the What's new page. Ids are stable: the same change keeps its id in
every build. Commit subjects are text, escaped by ElementTree, never markup.
"""

from __future__ import annotations

import datetime
import functools
import uuid
from urllib.parse import urljoin
from xml.etree import ElementTree as ET

from .whats_new import FEED as LOCATION
from .whats_new import PAGE, WhatsNew

ATOM = "http://www.w3.org/2005/Atom"
TITLE = "The Backend Handbook: what's new"


@functools.cache  # a page changed in many commits is in many entries: urljoin once per page
def page_url(site_url: str, page: str, directory_urls: bool = True) -> str:
    """A page's address (path relative to docs/) under ``site_url``, as MkDocs writes it."""
    path = page.removesuffix(".md")
    if directory_urls:
        path = "" if path == "index" else path.removesuffix("/index") + "/"
    else:
        path += ".html"
    return urljoin(site_url, path.lstrip("/"))


@functools.cache  # the files of one commit share its time
def _stamp(when: datetime.datetime) -> str:
    return when.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom(news: WhatsNew, site_url: str | None, updated: datetime.datetime, directory_urls: bool = True) -> str:
    """The feed's XML. ``updated``: the feed's date when there is no change to take it from."""
    base = (site_url or "").rstrip("/") + "/"
    home = page_url(base, PAGE, directory_urls)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")

    def add(parent, tag: str, text: str | None = None, **attributes) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        element.text = text
        return element

    add(feed, "id", home)
    add(feed, "title", TITLE)
    if not news.history.available:
        add(feed, "subtitle", f"The history of changes is unavailable: {news.history.reason}.")
    add(feed, "updated", _stamp(news.history.newest or updated))
    add(feed, "link", rel="self", type="application/atom+xml", href=urljoin(base, LOCATION))
    add(feed, "link", rel="alternate", type="text/html", href=home)
    add(add(feed, "author"), "name", "The Backend Handbook's contributors")
    for entry in news.entries:
        change = entry.change
        item = add(feed, "entry")
        add(item, "id", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{home}#{change.commit}/{change.path}')}")
        add(item, "title", f"{entry.label}: {entry.title} ({entry.kind})")
        add(item, "updated", _stamp(change.when))
        add(item, "link", rel="alternate", type="text/html", href=page_url(base, entry.page, directory_urls) if entry.page else home)
        add(item, "summary", change.subject)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
