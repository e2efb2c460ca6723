"""Make data text inert before it becomes part of a page's Markdown.

Outside code, ``<`` becomes ``&lt;`` (no raw HTML, no comments, no snippet includes)
and ``{`` becomes ``\\{`` (no attribute lists such as ``{ onclick=... }``, no template
syntax); fenced-code info strings are cut to a bare language name, since fence options
can carry attributes too. Code spans and code blocks are left as written: Markdown
escapes them itself. Entry links ``[text](technology:redis)`` become page links.
"""

from __future__ import annotations

import html
import re

from .model import KIND_BY_SINGULAR

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
BACKTICKS = re.compile(r"`+")
ENTRY_LINK = re.compile(r"\]\(\s*(?P<kind>[a-z]+):(?P<id>[a-z0-9-]+)(?P<anchor>#[\w-]*)?\s*\)")
LANGUAGE = re.compile(r"[A-Za-z0-9_+#.-]*")


def page_link(folder: str, entity_id: str, from_root: bool = False) -> str:
    """Relative link from a generated page (one folder deep) to an entry's page."""
    return f"{'' if from_root else '../'}{folder}/{entity_id}.md"


def _entry_link(match: re.Match) -> str:
    kind = KIND_BY_SINGULAR.get(match["kind"])
    if kind is None:
        return match[0]
    return f"]({page_link(kind.folder, match['id'])}{match['anchor'] or ''})"


def _escape_prose(text: str) -> str:
    text = text.replace("<", "&lt;").replace("{", "\\{")
    return ENTRY_LINK.sub(_entry_link, text)


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each code span, as ``CODE_SPAN.finditer`` finds them, five times faster:
    a run of backticks opens a span closed by the next run of the same length (the regex
    tries its lookbehind at every character; this looks only at the runs)."""
    if "`" not in text:
        return []
    runs = [match.span() for match in BACKTICKS.finditer(text)]
    spans, i = [], 0
    while i < len(runs):
        start, end = runs[i]
        close = next((j for j in range(i + 1, len(runs)) if runs[j][1] - runs[j][0] == end - start), None)
        if close is None:
            i += 1  # no run of its length follows: literal backticks
        else:
            spans.append((start, runs[close][1]))
            i = close + 1
    return spans


def inline(text: str) -> str:
    """Escape one span of Markdown text, keeping code spans as written."""
    out, last = [], 0
    for start, end in code_spans(text):
        out.append(_escape_prose(text[last:start]))
        out.append(text[start:end])
        last = end
    out.append(_escape_prose(text[last:]))
    return "".join(out)


def block(text: str) -> str:
    """Escape a Markdown document: prose as in ``inline``, fenced code untouched."""
    out: list[str] = []
    prose: list[str] = []
    fence: str | None = None
    for line in text.strip("\n").split("\n"):
        match = FENCE.match(line)
        if fence is None and match:
            if prose:
                out.append(inline("\n".join(prose)))
            prose = []
            fence = match["fence"]
            language = LANGUAGE.match(match["info"].strip())[0]
            out.append(f"{match['indent']}{fence}{language}")
        elif fence is not None:
            out.append(line)
            if match and match["fence"].startswith(fence) and not match["info"].strip():
                fence = None
        else:
            prose.append(line)
    if prose:
        out.append(inline("\n".join(prose)))
    if fence is not None:
        out.append(fence)  # close a fence the author left open
    return "\n".join(out).strip("\n")


def code_block(code: str, language: str) -> str:
    """A fenced block that no backtick run inside ``code`` can close early."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{LANGUAGE.match(language)[0]}\n{code.rstrip()}\n{fence}"


def heading(text: str) -> str:
    """Escaped text for a heading line, where a trailing '#' would otherwise vanish ("C#")."""
    return inline(text).replace("#", "\\#")


def link_text(text: str) -> str:
    """Escaped text that can stand inside [...] and inside a table cell."""
    return inline(text).replace("[", "\\[").replace("]", "\\]").replace("|", "\\|")


def attribute(text: str) -> str:
    """Plain text for an HTML attribute or other HTML context (theme templates do not escape)."""
    return html.escape(text, quote=True)
