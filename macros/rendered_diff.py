"""A page's rendered diff for `make affected`: what a reviewer would see change, as a unified diff.

Both sides are the page's rendered Markdown cleaned as for the pages' Markdown copies
(``readable_markdown.clean``): text, lists, tables and code, without the HTML-only parts
(front matter, attribute lists, drawings), whose one-line SVGs would swamp the diff.
Long diffs are cut with a count of what was left out, and each diff sits in a collapsed
``<details>`` block so the job summary stays a list of pages first.
"""

from __future__ import annotations

import difflib
import html
import re

from .readable_markdown import clean

# Lines of diff shown per page; the rest is counted. Job summaries are capped at 1 MiB.
MAX_LINES = 80
CONTEXT = 2  # unchanged lines around each change


def unified(old: str, new: str, path: str) -> list[str]:
    """The unified diff of a page's readable Markdown, whole."""
    return list(
        difflib.unified_diff(
            clean(old).splitlines(), clean(new).splitlines(), f"a/{path}", f"b/{path}", n=CONTEXT, lineterm=""
        )
    )


def cut(lines: list[str], max_lines: int = MAX_LINES) -> list[str]:
    """The first ``max_lines`` lines, then how many more there were."""
    if len(lines) <= max_lines:
        return lines
    left = len(lines) - max_lines
    return lines[:max_lines] + [f"… {left} more line{'s' if left != 1 else ''}"]


def _fence(lines: list[str]) -> str:
    """A backtick fence longer than any run of backticks in the diff (pages have code blocks)."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    return "`" * max(3, longest + 1)


def details(old: str, new: str, path: str, max_lines: int = MAX_LINES) -> str:
    """The diff in a collapsed block, indented to sit under a list item; a note if only HTML parts differ."""
    lines = unified(old, new, path)
    if not lines:
        return "  <details><summary>Rendered diff</summary>\n\n  Only the page's HTML parts differ (front matter, attributes or a drawing).\n\n  </details>"
    added = sum(1 for line in lines[2:] if line.startswith("+"))
    removed = sum(1 for line in lines[2:] if line.startswith("-"))
    shown = cut(lines, max_lines)
    fence = _fence(shown)
    body = "\n".join(f"  {line}" for line in [f"{fence}diff", *shown, fence])
    summary = html.escape(f"Rendered diff: +{added} −{removed} lines")
    return f"  <details><summary>{summary}</summary>\n\n{body}\n\n  </details>"
