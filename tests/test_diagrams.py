"""The workflow map and the radar as SVG: pure functions of plain values, and the data behind them."""

from __future__ import annotations

import itertools
import math
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from conftest import FIXTURES, ROOT
from macros import diagrams
from macros.diagram_data import Diagrams, last_review, moved_from, quadrants
from macros.loader import load_handbook
from macros.mermaid_assets import add_script
from macros.xref import CrossReference

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script> & \"quotes\" 'single' ]]> <![CDATA[x]]> {{ 7*7 }}"
QUADRANTS = [diagrams.Quadrant(f"q{i}", f"Quadrant {i}") for i in range(4)]
RINGS = ["adopt", "trial", "assess", "hold"]
MINI = load_handbook(FIXTURES / "mini" / "data")


def parse(block: str) -> ET.Element:
    """The diagram's <div> as XML: fails on anything that is not well-formed."""
    return ET.fromstring(block)


def steps(count: int = 4, alongside: int = 1, title=lambda i: f"Phase {i}") -> list[diagrams.Step]:
    return [
        diagrams.Step(i, title(i), f"../p{i}/", (f"Key {i}a", f"Key {i}b"), alongside=i > count - alongside)
        for i in range(1, count + 1)
    ]


def links(root: ET.Element) -> list[ET.Element]:
    return root.findall(f".//{SVG}a")


def test_map_links_every_step_once_in_order_with_accessible_names():
    root = parse(diagrams.workflow_map(steps(7), current=None))
    found = links(root)
    assert [a.get("href") for a in found] == [f"../p{i}/" for i in range(1, 8)]
    # The name is the text drawn (number and title); the description gives the place and key activities.
    names = [f"{i} Phase {i}" for i in range(1, 7)] + ["7 Phase 7 · alongside every phase"]
    assert [a.get("aria-label") for a in found] == names
    assert [a.find(f"{SVG}title").text for a in found] == [
        f"Step {i} of 7. Key activities: Key {i}a, Key {i}b" for i in range(1, 8)
    ]
    svg = root.find(f"{SVG}svg")
    assert svg.get("role") == "list" and svg.get("viewBox").startswith("0 0 ")
    assert len(svg.findall(f"{SVG}g[@role='listitem']")) == 7


def test_map_marks_only_the_current_step():
    found = links(parse(diagrams.workflow_map(steps(7), current=3)))
    current = [a for a in found if a.get("aria-current") == "page"]
    assert [a.get("href") for a in current] == ["../p3/"]
    assert "hb-map__step--current" in current[0].get("class")
    assert current[0].get("aria-label").endswith("(this page)")
    assert sum("hb-map__step--current" in a.get("class") for a in found) == 1


def test_map_draws_a_phase_that_runs_alongside_as_a_band_under_the_rows():
    root = parse(diagrams.workflow_map(steps(7, alongside=1)))
    rects = root.findall(f".//{SVG}rect")
    band = [r for r in rects if "hb-map__node--band" in r.get("class")]
    assert len(band) == 1
    assert float(band[0].get("y")) > max(float(r.get("y")) for r in rects if r is not band[0])
    # six boxes in order: five arrows between them, none to the band
    assert len(root.findall(f".//{SVG}g[@class='hb-map__arrows']/{SVG}path")) == 5


def test_map_text_version_is_an_ordered_list_that_can_be_left_out():
    root = parse(diagrams.workflow_map(steps(3, alongside=0)))
    items = root.findall("./ol/li")
    assert [li.text for li in items] == [f"Phase {i} — key activities: Key {i}a, Key {i}b" for i in (1, 2, 3)]
    assert parse(diagrams.workflow_map(steps(3), text_version=False)).find("./ol") is None


@pytest.mark.parametrize("draw", ["map", "radar"])
def test_hostile_titles_stay_text(draw):
    if draw == "map":
        block = diagrams.workflow_map(steps(3, title=lambda i: HOSTILE), current=1)
    else:
        blips = [diagrams.Blip(1, HOSTILE, '"><script>x</script>', "q0", "adopt", moved_from="trial")]
        block = diagrams.radar(blips, QUADRANTS, RINGS, last_review=HOSTILE)
    root = parse(block)  # well-formed: nothing broke out of an element or attribute
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert tags <= {
        "div",
        "svg",
        "defs",
        "marker",
        "path",
        "g",
        "a",
        "title",
        "rect",
        "circle",
        "text",
        "tspan",
        "ol",
        "li",
    }
    assert "<script" not in block and "{{" in block  # escaped, and braces are just text in HTML
    texts = "".join(root.itertext()) + "".join(a.get("aria-label") for a in links(root))
    assert "<script>alert(1)</script>" in texts  # shown literally once parsed


def blips(counts: dict[tuple[str, str], int]) -> list[diagrams.Blip]:
    number = itertools.count(1)
    return [
        diagrams.Blip(n, f"Tech {n}", f"../t{n}/", quadrant, ring)
        for (quadrant, ring), count in counts.items()
        for n in (next(number) for _ in range(count))
    ]


def test_radar_places_blips_inside_their_cell_without_overlap_and_the_same_every_time():
    counts = {(q.id, ring): 3 + (i * 5 + j * 3) % 12 for i, q in enumerate(QUADRANTS) for j, ring in enumerate(RINGS)}
    some = blips(counts)
    radius, places = diagrams.place_blips(some, QUADRANTS, RINGS)
    assert diagrams.place_blips(list(reversed(some)), QUADRANTS, RINGS) == (radius, places)
    edges = [0] + [e * radius for e in diagrams.ring_edges(4)]
    for blip in some:
        x, y = places[blip.number]
        sx, sy = diagrams.QUADRANT_SIGNS[int(blip.quadrant[1])]
        assert x * sx > 0 and y * sy > 0, blip  # its quadrant
        ring = RINGS.index(blip.ring)
        assert edges[ring] < math.hypot(x, y) < edges[ring + 1], blip  # its ring
    for a, b in itertools.combinations(places.values(), 2):
        assert math.dist(a, b) >= diagrams.BLIP_SPACING - 1e-6


def test_radar_grows_rather_than_overlap_when_a_cell_is_crowded():
    radius, places = diagrams.place_blips(blips({("q0", "hold"): 400}), QUADRANTS, RINGS)
    assert radius > diagrams.RADAR_RADIUS and len(places) == 400


def test_radar_blips_are_named_links_and_moved_ones_are_marked():
    some = [
        diagrams.Blip(1, "Go", "../technologies/go/", "q0", "adopt"),
        diagrams.Blip(2, "Jest", "../technologies/jest/", "q3", "trial", moved_from="adopt"),
    ]
    root = parse(diagrams.radar(some, QUADRANTS, RINGS, "2026-11-22"))
    go, jest = links(root)
    assert go.get("aria-label") == "1. Go: Adopt, Quadrant 0"
    assert jest.get("aria-label") == "2. Jest: Trial, Quadrant 3; moved from Adopt in the review of 2026-11-22"
    assert "hb-radar__blip--moved" in jest.get("class") and "moved" not in go.get("class")
    assert jest.find(f"{SVG}path") is not None and go.find(f"{SVG}circle") is not None  # triangle vs circle
    assert [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "hb-radar__number"] == ["1", "2"]


def test_moved_means_a_new_ring_in_the_latest_review():
    def tech(*history):
        return {"radar": [{"date": d, "ring": r} for d, r in history]}

    assert moved_from(tech(("2025-01-01", "trial"), ("2026-11-22", "adopt")), "2026-11-22") == "trial"
    assert moved_from(tech(("2025-01-01", "trial"), ("2026-01-01", "adopt")), "2026-11-22") is None  # earlier review
    assert moved_from(tech(("2026-11-22", "adopt")), "2026-11-22") is None  # new, not moved
    assert moved_from(tech(("2025-01-01", "adopt"), ("2026-11-22", "adopt")), "2026-11-22") is None
    assert last_review([tech(("2026-11-22", "adopt")), tech(("2025-01-01", "hold"))]) == "2026-11-22"


def test_quadrants_come_from_the_category_schema_and_every_category_has_one():
    ids = [q.id for q in quadrants()]
    assert len(ids) == 4 and all(q.label for q in quadrants())
    handbook = load_handbook(ROOT / "data", ROOT)
    used = {category["quadrant"] for category in handbook.of("categories")}
    assert used == set(ids)  # each quadrant holds at least one category


def test_radar_numbers_follow_the_tables_and_mini_redis_moved():
    data = Diagrams(MINI, CrossReference(MINI))
    assert [(r["number"], r["technology"].id, r["ring"]) for r in data.rows] == [
        (1, "redis", "adopt"),  # data and messaging comes before tools and delivery
        (2, "pytest", "adopt"),
        (3, "valkey", "trial"),
    ]
    assert [r["moved_from"] for r in data.rows] == ["trial", None, None]
    root = parse(data.radar(to_root="../"))
    assert [a.get("href") for a in links(root)] == [f"../technologies/{t}/" for t in ("redis", "pytest", "valkey")]


def test_mermaid_script_only_where_a_diagram_is_and_before_the_bundle():
    page = '<html><body><pre class="mermaid"><code>graph LR</code></pre><script src="../../assets/javascripts/bundle.abc123.min.js"></script></body></html>'
    out = add_script(page, "activities/creating-diagrams/")
    assert out.index('<script src="../../javascripts/vendor/mermaid/mermaid.min.js"></script>') < out.index(
        "bundle.abc123"
    )
    assert add_script(page, "").count("mermaid.min.js") == 1 and 'src="javascripts/vendor' in add_script(page, "")
    plain = page.replace('<pre class="mermaid">', "<pre>")
    assert add_script(plain, "activities/x/") == plain


def test_diagrams_module_does_not_import_mkdocs_or_jinja():
    code = "import sys, macros.diagrams; assert not {'mkdocs', 'jinja2'} & set(sys.modules), sorted(sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
