"""SVG diagrams drawn at build time: the workflow map and the technology radar.

Plain Python on plain values (no MkDocs, no Jinja, no handbook types), so any engine
can call it and tests can feed it anything. Every string from data is XML-escaped on
its way in; links are relative URLs the caller computes for the page the SVG sits on.
Each diagram is one raw-HTML block that Markdown leaves alone, sized by its viewBox
and coloured by CSS classes (docs/stylesheets/diagrams.css) that use the theme's
variables, so it follows the light and dark schemes and prints.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass


def _x(text) -> str:
    """Text or attribute value, safe inside SVG and HTML (quotes included)."""
    return html.escape(str(text), quote=True)


def _wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap by character count: SVG text does not wrap by itself."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _text_lines(
    lines: list[str], x: float, y_middle: float, line_height: float, css: str, anchor: str = "start"
) -> str:
    """A multi-line <text> centred vertically on ``y_middle``."""
    first = y_middle - (len(lines) - 1) * line_height / 2
    # A space ends each wrapped line, so the text reads as written when copied or spoken.
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{first + i * line_height:.1f}">{_x(line)}{" " if i + 1 < len(lines) else ""}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text class="{css}" text-anchor="{anchor}" dominant-baseline="central">{spans}</text>'


def _block(css: str, body: str) -> str:
    # One raw-HTML block with no blank line inside, which Markdown passes through as
    # written (the <div> starts it); search skips the drawing.
    return f'<div class="hb-diagram {css}" data-search-exclude="">\n{body}\n</div>'


# -- workflow map -------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One workflow phase on the map."""

    number: int  # position in the workflow, 1 first
    title: str
    href: str  # relative URL of the phase's page, from the page the map is on
    key_activities: tuple[str, ...] = ()  # titles
    alongside: bool = False  # runs alongside the other phases instead of following them


MAP_WIDTH = 640
MAP_PAD = 8
MAP_GAP = 40  # between columns: room for an arrow
MAP_ROW_GAP = 36
NODE_HEIGHT = 72
BAND_HEIGHT = 48
CHAR_WIDTH = 8.0  # average width of a character at the map's font size, for wrapping


def _badge(x: float, y: float, number: int) -> str:
    return (
        f'<circle class="hb-map__badge" cx="{x:.1f}" cy="{y:.1f}" r="13"/>'
        f'<text class="hb-map__number" x="{x:.1f}" y="{y:.1f}" text-anchor="middle" dominant-baseline="central">{_x(number)}</text>'
    )


def _step_link(
    step: Step, total: int, current: bool, shape: str, text: str, text_x: float, middle: float, chars: int
) -> str:
    """A step as a link: its name is the text drawn (so speech matches sight), then its place."""
    css = "hb-map__step hb-map__step--current" if current else "hb-map__step"
    aria_current = ' aria-current="page"' if current else ""
    name = f"{step.number} {text}" + (" (this page)" if current else "")
    description = f"Step {step.number} of {total}." + (
        f" Key activities: {', '.join(step.key_activities)}" if step.key_activities else ""
    )
    label = _text_lines(_wrap(text, chars), text_x, middle, 17, "hb-map__title")
    return (
        f'<g role="listitem"><a href="{_x(step.href)}" class="{css}"{aria_current} aria-label="{_x(name)}">'
        f"<title>{_x(description)}</title>{shape}{label}</a></g>"
    )


def workflow_map(steps: list[Step], current: int | None = None, columns: int = 3, text_version: bool = True) -> str:
    """The phases in order, each a link; the one numbered ``current`` is marked as this page.

    Phases that follow one another are boxes in rows joined by arrows; phases that run
    alongside them are bands under the rows. For screen readers the SVG is a list of
    named links in order; ``text_version`` adds the same list as text for print.
    """
    total = len(steps)
    sequence = [step for step in steps if not step.alongside]
    bands = [step for step in steps if step.alongside]
    columns = max(1, min(columns, len(sequence) or 1))
    rows = math.ceil(len(sequence) / columns)
    node_width = (MAP_WIDTH - 2 * MAP_PAD - (columns - 1) * MAP_GAP) / columns
    chars = max(8, int((node_width - 48) / CHAR_WIDTH))

    def corner(index: int) -> tuple[float, float]:
        row, col = divmod(index, columns)
        return MAP_PAD + col * (node_width + MAP_GAP), MAP_PAD + row * (NODE_HEIGHT + MAP_ROW_GAP)

    links, arrows = [], []
    for index, step in enumerate(sequence):
        x, y = corner(index)
        middle = y + NODE_HEIGHT / 2
        shape = (
            f'<rect class="hb-map__node" x="{x:.1f}" y="{y:.1f}" width="{node_width:.1f}" height="{NODE_HEIGHT}"'
            f' rx="8" fill="none" stroke="currentColor"/>' + _badge(x + 20, middle, step.number)
        )
        links.append(_step_link(step, total, step.number == current, shape, step.title, x + 42, middle, chars))
        if index + 1 < len(sequence):
            nx, ny = corner(index + 1)
            if ny == y:  # same row: straight across
                path = f"M{x + node_width:.1f},{middle:.1f} H{nx - 4:.1f}"
            else:  # next row: down, back to the first column, down again
                turn = y + NODE_HEIGHT + MAP_ROW_GAP / 2
                path = f"M{x + node_width / 2:.1f},{y + NODE_HEIGHT:.1f} V{turn:.1f} H{nx + node_width / 2:.1f} V{ny - 4:.1f}"
            arrows.append(f'<path d="{path}"/>')

    bottom = MAP_PAD + rows * NODE_HEIGHT + max(0, rows - 1) * MAP_ROW_GAP  # of the last row
    y = bottom + 20 if rows else MAP_PAD
    for step in bands:
        width = MAP_WIDTH - 2 * MAP_PAD
        middle = y + BAND_HEIGHT / 2
        shape = (
            f'<rect class="hb-map__node hb-map__node--band" x="{MAP_PAD}" y="{y:.1f}" width="{width}"'
            f' height="{BAND_HEIGHT}" rx="8" fill="none" stroke="currentColor"/>'
            + _badge(MAP_PAD + 20, middle, step.number)
        )
        text = f"{step.title} · alongside every phase"
        band_chars = int((width - 48) / CHAR_WIDTH)
        links.append(_step_link(step, total, step.number == current, shape, text, MAP_PAD + 42, middle, band_chars))
        bottom = y + BAND_HEIGHT
        y = bottom + 12
    height = bottom + MAP_PAD

    svg = (
        f'<svg class="hb-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {MAP_WIDTH} {height:.0f}"'
        f' role="list" aria-label="The workflow: {total} phases in order">'
        '<defs><marker id="hb-map-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"'
        ' orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker></defs>'
        f'<g class="hb-map__arrows" aria-hidden="true" fill="none" stroke="currentColor"'
        f' marker-end="url(#hb-map-arrow)">{"".join(arrows)}</g>'
        f"{''.join(links)}</svg>"
    )
    if text_version:
        items = "".join(
            f"<li>{_x(step.title)}"
            + (" (alongside every phase)" if step.alongside else "")
            + (f" — key activities: {_x(', '.join(step.key_activities))}" if step.key_activities else "")
            + "</li>"
            for step in steps
        )
        svg += f'\n<ol class="hb-diagram__text">{items}</ol>'
    return _block("hb-diagram--map", svg)


# -- technology radar ---------------------------------------------------------


@dataclass(frozen=True)
class Quadrant:
    id: str
    label: str


@dataclass(frozen=True)
class Blip:
    """One technology on the radar."""

    number: int  # shown in the blip and in the table beside the radar
    title: str
    href: str
    quadrant: str  # a Quadrant id
    ring: str
    moved_from: str | None = None  # its previous ring, if it moved in the last review


BLIP_RADIUS = 10
BLIP_SPACING = 2 * BLIP_RADIUS + 5  # centre to centre: blips never touch
AXIS_MARGIN = 44  # ring names sit on the vertical axis; blips keep clear of them
RADAR_RADIUS = 320
RADAR_MARGIN = 40
# Outer edge of each ring as a share of the radius: the inner rings hold the most.
RING_EDGES = (0.40, 0.65, 0.83, 1.0)
# Quadrants in the order given: top left, top right, bottom left, bottom right.
QUADRANT_SIGNS = ((-1, -1), (1, -1), (-1, 1), (1, 1))


def ring_edges(count: int) -> list[float]:
    return list(RING_EDGES) if count == len(RING_EDGES) else [(i + 1) / count for i in range(count)]


def _slots(inner: float, outer: float) -> list[tuple[float, float]]:
    """Free places in one ring of one quadrant, as distances (across, down) from the centre.

    A hexagonal grid, so neighbours are BLIP_SPACING apart; ordered by angle, then radius.
    """
    slots = []
    row_height = BLIP_SPACING * math.sqrt(3) / 2
    for row in range(int(outer / row_height) + 1):
        down = BLIP_RADIUS + 4 + row * row_height
        shift = BLIP_SPACING / 2 if row % 2 else 0
        for col in range(int(outer / BLIP_SPACING) + 1):
            across = AXIS_MARGIN + shift + col * BLIP_SPACING
            radius = math.hypot(across, down)
            if inner + BLIP_RADIUS + 2 <= radius <= outer - BLIP_RADIUS - 2:
                slots.append((across, down))
    slots.sort(key=lambda p: (round(math.atan2(p[1], p[0]), 6), math.hypot(*p)))
    return slots


def place_blips(
    blips: list[Blip], quadrants: list[Quadrant], rings: list[str]
) -> tuple[float, dict[int, tuple[float, float]]]:
    """Deterministic, non-overlapping places: (radius used, blip number -> (x, y) from the centre).

    Each ring of each quadrant spreads its blips evenly over its free slots, in number
    order, so the same data always gives the same picture. If a cell is too full, the
    whole radar grows until every blip has a slot.
    """
    cells: dict[tuple[str, str], list[Blip]] = {}
    for blip in sorted(blips, key=lambda b: b.number):
        cells.setdefault((blip.quadrant, blip.ring), []).append(blip)
    signs = {quadrant.id: QUADRANT_SIGNS[i] for i, quadrant in enumerate(quadrants)}
    edges = ring_edges(len(rings))
    radius = RADAR_RADIUS
    while True:
        places: dict[int, tuple[float, float]] = {}
        fits = True
        for ring_index, ring in enumerate(rings):
            inner = edges[ring_index - 1] * radius if ring_index else 0
            slots = _slots(inner, edges[ring_index] * radius)
            for quadrant in quadrants:
                cell = cells.get((quadrant.id, ring), [])
                if len(cell) > len(slots):
                    fits = False
                    break
                sx, sy = signs[quadrant.id]
                for i, blip in enumerate(cell):
                    across, down = slots[int((i + 0.5) * len(slots) / len(cell))]
                    places[blip.number] = (sx * across, sy * down)
            if not fits:
                break
        if fits:
            return radius, places
        radius *= 1.15


def _blip_label(blip: Blip, quadrant_label: str, last_review: str) -> str:
    label = f"{blip.number}. {blip.title}: {blip.ring.capitalize()}, {quadrant_label}"
    if blip.moved_from:
        label += f"; moved from {blip.moved_from.capitalize()} in the review of {last_review}"
    return label


def _blip_shape(x: float, y: float, moved: bool) -> str:
    if moved:  # a triangle: told apart by shape, not by colour alone
        r = BLIP_RADIUS + 2
        return f'<path class="hb-radar__mark" d="M{x:.1f},{y - r:.1f} L{x + r:.1f},{y + r * 0.75:.1f} L{x - r:.1f},{y + r * 0.75:.1f} Z"/>'
    return f'<circle class="hb-radar__mark" cx="{x:.1f}" cy="{y:.1f}" r="{BLIP_RADIUS}"/>'


def radar(blips: list[Blip], quadrants: list[Quadrant], rings: list[str], last_review: str) -> str:
    """Four quadrants, rings from the centre out; each blip a numbered link to its page."""
    if len(quadrants) != len(QUADRANT_SIGNS):
        raise ValueError(f"the radar needs {len(QUADRANT_SIGNS)} quadrants, not {len(quadrants)}")
    radius, places = place_blips(blips, quadrants, rings)
    centre = radius + RADAR_MARGIN
    size = 2 * centre
    edges = ring_edges(len(rings))
    labels = {quadrant.id: quadrant.label for quadrant in quadrants}

    grid = [
        f'<circle class="hb-radar__ring hb-radar__ring--{i}" cx="{centre:.1f}" cy="{centre:.1f}" r="{edges[i] * radius:.1f}"/>'
        for i in reversed(range(len(rings)))
    ]
    grid.append(
        f'<path class="hb-radar__axis" d="M{centre - radius:.1f},{centre:.1f} H{centre + radius:.1f}'
        f' M{centre:.1f},{centre - radius:.1f} V{centre + radius:.1f}"/>'
    )
    names = []
    for i, ring in enumerate(rings):
        middle = (edges[i] + (edges[i - 1] if i else 0)) / 2 * radius
        for y in (centre - middle, centre + middle):
            names.append(
                f'<text class="hb-radar__ring-name" x="{centre:.1f}" y="{y:.1f}" text-anchor="middle"'
                f' dominant-baseline="central">{_x(ring.capitalize())}</text>'
            )
    for quadrant, (sx, sy) in zip(quadrants, QUADRANT_SIGNS):
        lines = _wrap(quadrant.label, 20)
        x = 8 if sx < 0 else size - 8
        y = 8 + 10 + (len(lines) - 1) * 10 if sy < 0 else size - 18 - (len(lines) - 1) * 10
        names.append(_text_lines(lines, x, y, 20, "hb-radar__quadrant", "start" if sx < 0 else "end"))

    marks = []
    for blip in sorted(blips, key=lambda b: b.number):
        dx, dy = places[blip.number]
        x, y = centre + dx, centre + dy
        label = _blip_label(blip, labels[blip.quadrant], last_review)
        css = "hb-radar__blip hb-radar__blip--moved" if blip.moved_from else "hb-radar__blip"
        small = " hb-radar__number--small" if blip.number >= 100 else ""
        marks.append(
            f'<a href="{_x(blip.href)}" class="{css}" aria-label="{_x(label)}"><title>{_x(label)}</title>'
            f"{_blip_shape(x, y, bool(blip.moved_from))}"
            f'<text class="hb-radar__number{small}" x="{x:.1f}" y="{y + (2 if blip.moved_from else 0):.1f}"'
            f' text-anchor="middle" dominant-baseline="central">{blip.number}</text></a>'
        )

    legend_y = size + 16
    legend = (
        f'<g class="hb-radar__legend">'
        f"{_blip_shape(18, legend_y, False)}"
        f'<text x="36" y="{legend_y}" dominant-baseline="central">No change</text>'
        f"{_blip_shape(160, legend_y, True)}"
        f'<text x="178" y="{legend_y}" dominant-baseline="central">Moved in the last review ({_x(last_review)})</text></g>'
    )
    svg = (
        f'<svg class="hb-radar" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size:.0f} {size + 36:.0f}"'
        f' role="group" aria-label="Technology radar: {len(blips)} technologies, by quadrant and ring">'
        f'<g aria-hidden="true">{"".join(grid)}{"".join(names)}</g>'
        f"{''.join(marks)}{legend}</svg>"
    )
    return _block("hb-diagram--radar", svg)
