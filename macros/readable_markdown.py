"""A page's rendered Markdown made plain for readers outside the site: assistants, diffs, tools.

The site's Markdown is written for MkDocs: front matter, attribute lists (``{: .hb-lead }``,
``## Terms { data-search-exclude }``), raw HTML (fact boxes, inline SVG diagrams, the
progress controls of onboarding paths) and content tabs (``=== "Python"``). ``clean``
keeps the text and drops what only the HTML site uses; code (fenced blocks and inline
spans) is never touched. ``Links`` points each link between pages at the other page's
Markdown copy, absolute from ``site_url`` when there is one, else relative to the file the
text is written to.
"""

from __future__ import annotations

import posixpath
import re

from .safe_markdown import FENCE, code_spans

# A page's YAML front matter, as MkDocs reads it.
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)

# Elements dropped with everything inside them: drawings, scripts, controls that need JavaScript.
DROPPED = ("svg", "script", "style", "noscript", "button", "select", "progress", "template")
# Any element whose class says it only works with JavaScript (onboarding paths' progress).
JS_ONLY_CLASS = "hb-progress-ui"
# HTML elements whose tags are removed and whose text is kept.
KEPT_TEXT = (
    "div|span|p|small|time|label|kbd|nav|ol|ul|li|a|abbr|sup|sub|em|strong|b|i|code|details|summary"
    "|figure|figcaption|section|table|thead|tbody|tr|td|th|br|hr|input|option|form|img"
)
TAG = re.compile(rf"</?(?:{KEPT_TEXT})(?:\s[^<>]*)?/?>", re.I)
OPENING = re.compile(r"<(?P<name>[a-z][a-z0-9-]*)(?P<attrs>\s[^<>]*)?>", re.I)
# Bold text and labels (an onboarding step's title) stay bold.
STRONG = re.compile(r"<(strong|b|label)(?:\s[^<>]*)?>([^<>\n]+)</\1>", re.I)
# A line left starting with one space where a tag was: up to three mean nothing to Markdown.
# Written from the newline (the text's first line is done apart): "^" with re.M is 30x slower.
ONE_SPACE = re.compile(r"\n (?=\S)")
INLINE_ITEM = re.compile(r"<li(?:\s[^<>]*)?>([^\n]*?)</li>", re.I)
COMMENT = re.compile(r"<!--.*?-->", re.S)
# attr_list's syntax: {: .class #id key=value } or { .class }, after a block or a link.
_ATTR = r"""(?:[#.][\w-]+|[\w-]+(?:=(?:"[^"\n]*"|'[^'\n]*'|[^\s}]+))?)"""
# Starting with the brace keeps the search fast; _attribute_list decides by what surrounds it.
ATTR_LIST = re.compile(rf"""\{{:?[ \t]*{_ATTR}(?:[ \t]+{_ATTR})*[ \t]*\}}""")
LINE_END = re.compile(r"[ \t]*(?:\n|\Z)")
TAB = re.compile(r'^===\+?[ \t]+"(?P<title>(?:[^"\\]|\\.)*)"[ \t]*$')
LINK = re.compile(r"\]\(([^()\s]+)((?:\s+\"[^\"]*\")?\))")
# A link target marked by Links.mark, until Links.place makes it a URL: control characters never in Markdown.
MARK, MARK_END = "\x01", "\x02"
MARKED = re.compile("\x01([^\x02]*)\x02")
NOT_RELATIVE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", re.I)
BLANK_RUNS = re.compile(r"\n\n\n+")  # not \n{3,}: a literal start is found 8x faster


def _split_fences(lines: list[str]) -> list[tuple[bool, list[str]]]:
    """Runs of lines, each marked True when it is inside (or opens or closes) a fenced code block."""
    runs: list[tuple[bool, list[str]]] = []
    fence = None
    for line in lines:
        match = FENCE.match(line)
        if fence is None and match:
            fence, in_code = match["fence"], True
        elif fence is not None and match and match["fence"].startswith(fence) and not match["info"].strip():
            fence, in_code = None, True
        else:
            in_code = fence is not None
        if runs and runs[-1][0] == in_code:
            runs[-1][1].append(line)
        else:
            runs.append((in_code, [line]))
    return runs


def _untab(lines: list[str]) -> list[str]:
    """Content tabs as a bold label over their content, unindented (four spaces would be code)."""
    out, in_tab = [], False
    for line in lines:
        tab = TAB.match(line)
        if tab:
            out.append(f"**{tab['title']}**")
            in_tab = True
        elif in_tab and (line.startswith("    ") or not line.strip()):
            out.append(line[4:])
        else:
            in_tab = False
            out.append(line)
    return out


def _element_end(text: str, name: str, start: int) -> int:
    """Where the element opened at ``start`` ends (after its closing tag), nesting counted."""
    pattern = re.compile(rf"<(/?){name}(?:\s[^<>]*)?(/?)>", re.I)
    depth = 0
    for tag in pattern.finditer(text, start):
        if tag[2]:  # self-closing
            if depth == 0:
                return tag.end()
            continue
        depth += -1 if tag[1] else 1
        if depth == 0:
            return tag.end()
    return len(text)


def _drop_elements(text: str) -> str:
    out, position = [], 0
    for tag in OPENING.finditer(text):
        if tag.start() < position:
            continue  # inside an element already dropped
        name, attrs = tag["name"].lower(), tag["attrs"] or ""
        if name in DROPPED or JS_ONLY_CLASS in attrs:
            out.append(text[position : tag.start()])
            position = tag.end() if name == "input" else _element_end(text, name, tag.start())
    out.append(text[position:])
    return "".join(out)


def _attribute_list(match: re.Match) -> str:
    """An attribute list goes at the end of a line (a block's) or right after a link; braces elsewhere stay."""
    text, start = match.string, match.start()
    if LINE_END.match(text, match.end()) or (start and text[start - 1] in ")]"):
        return ""
    return match[0]


def _outside_code_spans(text: str, change) -> str:
    """``change(text)`` with inline code spans set aside and put back untouched."""
    found = code_spans(text)
    if not found:
        return change(text)
    spans: list[str] = []
    pieces, last = [], 0
    for start, end in found:
        pieces += [text[last:start], f"\x00{len(spans)}\x00"]
        spans.append(text[start:end])
        last = end
    pieces.append(text[last:])
    return re.sub("\x00(\\d+)\x00", lambda m: spans[int(m[1])], change("".join(pieces)))


def _prose(text: str, relink=None) -> str:
    """Clean Markdown outside code blocks; ``relink(match)`` rewrites each link target."""
    text = COMMENT.sub("", text)
    text = _drop_elements(text)
    text = STRONG.sub(r"**\2**", text)
    text = INLINE_ITEM.sub(lambda m: "\n- " + m[1].strip(), text)
    text = TAG.sub("", text)
    text = ATTR_LIST.sub(_attribute_list, text)
    text = ONE_SPACE.sub("\n", text[1:] if text[:1] == " " and text[1:2].strip() else text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    if relink is not None:
        text = LINK.sub(relink, text)
    return BLANK_RUNS.sub("\n\n", text)


def clean(markdown: str, links: Links | None = None, src_uri: str = "") -> str:
    """``markdown`` without front matter, attribute lists and HTML-only parts; code untouched.

    With ``links``, links to other pages and files of the site are marked for ``links.place``.
    """
    meta = FRONT_MATTER.match(markdown)
    body = markdown[meta.end() :] if meta else markdown
    lines = _untab(body.split("\n"))
    folder = posixpath.dirname(src_uri)
    relink = None if links is None else lambda match: links.mark_in(match, folder)
    parts = [
        "\n".join(run) if in_code else _outside_code_spans("\n".join(run), lambda text: _prose(text, relink))
        for in_code, run in _split_fences(lines)
    ]
    return "\n".join(parts).strip("\n") + "\n"


def markdown_path(src_uri: str, directory_urls: bool = True) -> str:
    """Where a page's Markdown copy is published, beside its HTML: ``redis.md`` -> ``redis/index.md``."""
    stem = src_uri.removesuffix(".md")
    if not directory_urls or stem == "index" or stem.endswith("/index"):
        return src_uri
    return f"{stem}/index.md"


def html_path(src_uri: str, directory_urls: bool = True) -> str:
    """A page's address relative to the site root (``technologies/redis/``)."""
    stem = src_uri.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    return stem.removesuffix("index") if stem.endswith("/index") else stem + "/"


class Links:
    """Rewrites links between pages for text published at another path than the page's own."""

    def __init__(self, site_url: str | None, directory_urls: bool = True):
        self.site_url = (site_url or "").rstrip("/") + "/" if site_url else ""
        self.directory_urls = directory_urls
        self._marked: dict[tuple[str, str], str | None] = {}

    def url(self, path: str, written_to: str) -> str:
        """A site path (relative to its root) as a link from the file at ``written_to``."""
        if self.site_url:
            return self.site_url + path
        return posixpath.relpath(path or ".", posixpath.dirname(written_to) or ".") + ("/" if path.endswith("/") else "")

    def mark(self, match: re.Match, src_uri: str) -> str:
        """A link's target, if it is in the site, as a marked path from the site root; else as written."""
        return self.mark_in(match, posixpath.dirname(src_uri))

    def mark_in(self, match: re.Match, folder: str) -> str:
        """``mark`` for a page in ``folder`` (its src_uri's folder, computed once per page)."""
        key = (folder, match[1])
        if key not in self._marked:  # pages link to the same few pages again and again
            self._marked[key] = self._resolve(*key)
        target = self._marked[key]
        return match[0] if target is None else f"]({target}{match[2]}"

    def _resolve(self, folder: str, target: str) -> str | None:
        if NOT_RELATIVE.match(target):
            return None
        path, rest = re.match(r"([^?#]*)(.*)", target, re.S).groups()
        resolved = posixpath.normpath(posixpath.join(folder, path))
        if resolved.startswith(".."):
            return None  # outside the site: leave it as written
        if resolved.endswith(".md"):
            resolved = markdown_path(resolved, self.directory_urls)
        return f"{MARK}{resolved}{MARK_END}{rest}"

    def place(self, text: str, written_to: str) -> str:
        """``text`` with its marked links made into URLs for the file at ``written_to``."""
        return MARKED.sub(lambda m: self.url(m[1], written_to), text)
