"""The explorer page's body: filter controls and the full list of entries, as Markdown.

The list is complete without JavaScript: every entry is a link with its kind and summary.
``docs/javascripts/explorer.js`` shows the controls and filters the list with data from the
public export (``api/v1/graph.json``); the facets come from there, not from this page.
Option labels are escaped for HTML; entry text passes through ``safe_markdown``.
"""

from __future__ import annotations

from html import escape

from . import safe_markdown
from .export import RELATIONS
from .model import KINDS, RINGS, Entity, Handbook
from .xref import CrossReference

# The kinds the explorer lists; areas and categories are filters rather than entries.
LISTED = ("activities", "technologies", "phases", "responsibilities", "glossary")
# The form's fields, in the order the address lists them (explorer.js and url-state.js read
# them from the form's data-url-fields).
FILTERS = ("kind", "area", "phase", "category", "type", "ring", "text")
# When the address holds filters, the full list must not flash (and then shift) before
# explorer.js has filtered it: this runs before the list is painted and marks the page;
# the stylesheet keeps the list invisible, in its place, until the script is done.
FILTERED_BEFORE_PAINT = (
    f"<script>if (/[?&]({'|'.join((*FILTERS, 'q'))})=./.test(location.search))"
    ' document.documentElement.classList.add("hb-explorer-filtered");</script>\n\n'
)


def kind_options() -> list[tuple[str, str]]:
    """The kinds the explorer (and the search panel) filter by: value, label."""
    return [(KINDS[f].singular, KINDS[f].label) for f in LISTED]


def area_options(handbook: Handbook) -> list[tuple[str, str]]:
    return [(a.id, a.title) for a in handbook.of("areas")]


def areas_of(entity: Entity, xref: CrossReference) -> list[str]:
    """Area ids of an entry, as explorer.js derives them from the export: through its activities.

    The same relations the export publishes (export.RELATIONS), so the search panel's
    area filter and the explorer's agree.
    """
    if entity.kind.folder == "activities":
        activities = [entity]
    else:
        relation = RELATIONS[entity.kind.folder].get("activities")
        activities = relation(xref, entity) if relation else []
    return list(dict.fromkeys(area.id for activity in activities for area in xref.refs(activity, "area")))


def _select(name: str, label: str, any_label: str, options: list[tuple[str, str]]) -> str:
    choices = "".join(f'<option value="{escape(value)}">{escape(text)}</option>' for value, text in options)
    return (
        f'<div class="hb-explorer__field"><label for="hb-explorer-{name}">{label}</label>'
        f'<select id="hb-explorer-{name}" name="{name}"><option value="">{any_label}</option>{choices}</select></div>'
    )


def controls(handbook: Handbook) -> str:
    """The filter form: hidden without JavaScript, busy until the script has the export's data."""
    fields = [
        '<div class="hb-explorer__field hb-explorer__field--text"><label for="hb-explorer-text">Title, alias or summary</label>'
        '<input type="search" id="hb-explorer-text" name="text" autocomplete="off" spellcheck="false"></div>',
        _select("kind", "Kind", "Any kind", kind_options()),
        _select("area", "Area", "Any area", area_options(handbook)),
        _select("phase", "Phase", "Any phase", [(p.id, p.title) for p in handbook.of("phases")]),
        _select("category", "Technology category", "Any category", [(c.id, c.title) for c in handbook.of("categories")]),
        _select("type", "Technical or not", "Either", [("technical", "Technical"), ("non-technical", "Non-technical")]),
        _select("ring", "Radar ring", "Any ring", list(RINGS.items())),
    ]
    # Shown from the first paint when scripts run, so nothing moves when the data arrives.
    return (
        "<noscript><style>#hb-explorer { display: none; }</style></noscript>\n"
        '<form class="hb-explorer" id="hb-explorer" role="search" aria-label="Filter the entries"'
        f' data-url-fields="{" ".join(FILTERS)}" aria-busy="true">'
        + "".join(fields)
        + '<div class="hb-explorer__actions"><button type="reset" class="md-button">Clear filters</button></div>'
        + "</form>"
    )


def entries(handbook: Handbook) -> list:
    listed = [entity for folder in LISTED for entity in handbook.of(folder)]
    return sorted(listed, key=lambda e: (e.title.casefold(), e.kind.singular))


def page_body(handbook: Handbook) -> str:
    """Controls, a live count and the list; links are relative to the docs/ root."""
    listed = entries(handbook)
    items = "\n".join(
        # The kind is part of the link's name: "Go Technology" says where the link leads.
        f"- [{safe_markdown.link_text(e.title)} <small>{escape(e.kind.label)}</small>]"
        f"({safe_markdown.page_link(e.kind.folder, e.id, from_root=True)}) — {safe_markdown.inline(e['summary'])}"
        for e in listed
    )
    return (
        controls(handbook)
        + "\n\n"
        + f'<p class="hb-explorer-count" id="hb-explorer-count" role="status" aria-live="polite">{len(listed)} entries</p>\n\n'
        + FILTERED_BEFORE_PAINT
        + '<div class="hb-explorer-results" id="hb-explorer-results" markdown>\n\n'
        + items
        + "\n\n</div>\n"
    )
