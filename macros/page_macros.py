"""Macros for hand-written pages that opt in with `render_macros: true`.

They return finished, escaped Markdown, so data text never reaches Jinja as source.
Links are written relative to the docs/ root: use them on top-level pages. The text is
made once, up front (``texts``: plain data, which can cross a process boundary), so the
macros (``from_texts``) keep no reference to the handbook.
"""

from __future__ import annotations

from . import explorer as explorer_page
from . import offline_copy as offline_copy_page
from . import safe_markdown
from .diagram_data import Diagrams
from .model import KINDS, Handbook
from .xref import CrossReference


def macros(handbook: Handbook, xref: CrossReference, offline_copy: bool = False) -> dict:
    """``offline_copy``: whether this build has the single-page handbook (``make pdf``)."""
    return from_texts(texts(handbook, xref, offline_copy))


def texts(handbook: Handbook, xref: CrossReference, offline_copy: bool = False) -> dict:
    """Everything the macros return, worked out once: counts and finished Markdown."""

    def link(entity) -> str:
        return f"[{safe_markdown.link_text(entity.title)}]({safe_markdown.page_link(entity.kind.folder, entity.id, from_root=True)})"

    counts = {folder: len(handbook.of(folder)) for folder in KINDS}
    workflow_list = "\n".join(
        f"{phase['order']}. **{link(phase)}**: {safe_markdown.inline(phase['summary'])}" for phase in handbook.of("phases")
    )
    area_lists = {
        area_type: "\n".join(
            f"- {link(area)} ({len(xref.activities_of_area(area))} activities)"
            for area in handbook.of("areas")
            if area["type"] == area_type
        )
        for area_type in ("technical", "non-technical")
    }

    # The ordered list from workflow() follows the map on the home page: it is the text version.
    workflow_svg = Diagrams(handbook, xref).workflow_map(to_root="", text_version=False)

    paths = handbook.of("paths")
    return {
        "counts": counts,
        "workflow": workflow_list,
        "areas": area_lists,
        "workflow_map": workflow_svg,
        "explorer": explorer_page.page_body(handbook),
        "start_here": link(paths[0]) if paths else "[the onboarding paths](paths/index.md)",
        "read_offline": offline_copy_page.home_links(offline_copy),
    }


def from_texts(texts: dict) -> dict:
    """The macros, by name, each returning its part of ``texts``."""
    counts = texts["counts"]

    def count(folder: str) -> int:
        """Number of entries of a kind, e.g. {{ count('technologies') }}."""
        if folder not in counts:
            raise KeyError(f"count(): unknown kind '{folder}'; use one of {', '.join(KINDS)}")
        return counts[folder]

    def workflow() -> str:
        """The phases in order, each with its summary."""
        return texts["workflow"]

    def areas(area_type: str) -> str:
        """The areas of one type ('technical' or 'non-technical') with their activity counts."""
        return texts["areas"][area_type]

    def workflow_map() -> str:
        """The workflow drawn as a map, each phase a link (for a top-level page)."""
        return texts["workflow_map"]

    def explorer() -> str:
        """The explorer's filters and the list of every entry (docs/explorer.md)."""
        return texts["explorer"]

    def start_here() -> str:
        """A link to the first onboarding path (by order), for new hires."""
        return texts["start_here"]

    def read_offline() -> str:
        """Links to the single-page handbook and its PDF, or how to make them (`make pdf`)."""
        return texts["read_offline"]

    return {
        "count": count,
        "workflow": workflow,
        "areas": areas,
        "workflow_map": workflow_map,
        "explorer": explorer,
        "start_here": start_here,
        "read_offline": read_offline,
    }
