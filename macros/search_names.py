"""The names search ranks first: titles, abbreviations, aliases, then synonyms.

Full-text search (Pagefind) splits "on-call" and "pub/sub" into words that match
everything, and cannot know that "k8s" is Kubernetes. So the build ships a compact
map, normalised name -> pages, that the search script (docs/javascripts/search.js)
reads before Pagefind's results: an exact name first, then a synonym's entries
(data/search/synonyms.yml, macros/synonyms.py).

Names are normalised the same way here and in the script: case, accents, spaces,
hyphens, slashes and underscores do not count ("on-call" = "On call" = "oncall",
"pub/sub" = "pub sub"). The map is split by the first two characters of a name
(``search/names/<cc>.json``; one-character names in ``<c>.json``), so a query fetches
one small shard however large the handbook grows; search/vocabulary.json lists the
shards there are. Each shard lists the pages it names once: URL, title, kind and areas
(indexes into the vocabulary's areas, for the panel's filters: the explorer's
vocabulary, macros/explorer.py).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator

from .model import KINDS, Entity, Handbook

FOLDER = "search/names"
VOCABULARY = "search/vocabulary.json"
_IGNORED = re.compile(r"[\s\-/_\u2010-\u2015]+")
_PARENTHESIS = re.compile(r"\s*\([^)]*\)\s*$")
PAGE_KIND = ("page", "Page")  # hand-written and index pages


def normalize(name: str) -> str:
    """Case, accents, spaces, hyphens, slashes and underscores removed (search.js does the same)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or name
    return _IGNORED.sub("", folded.casefold())


def names_of(entity: Entity) -> list[str]:
    """Title, abbreviation and aliases; a title's trailing "(ORM)" also without it."""
    title = entity.title
    short = _PARENTHESIS.sub("", title)
    candidates = [title, short, entity.data.get("abbreviation") or "", *(entity.data.get("aliases") or [])]
    return [name for name in dict.fromkeys(candidates) if name.strip()]


def shown_title(entity: Entity) -> str:
    """The title as the page's heading shows it: a term's abbreviation in brackets (term.md.j2)."""
    abbreviation = entity.data.get("abbreviation")
    return f"{entity.title} ({abbreviation})" if abbreviation else entity.title


def shard_of(key: str) -> str:
    """The shard of a normalised name: its first two characters, "_" for any but a-z and 0-9."""
    return "".join(c if c.isascii() and c.isalnum() else "_" for c in key[:2])


def shards(handbook: Handbook, areas_of, area_ids: list[str]) -> dict[str, dict]:
    """Shard name -> {"pages": [[url, title, kind, [areas]]], "names": {key: [page]}, "synonyms": {...}}.

    ``areas_of(entity)`` gives an entry's area ids (the explorer's definition); a page
    lists them as indexes into ``area_ids``.
    """
    area_index = {area: i for i, area in enumerate(area_ids)}
    found: dict[str, dict[str, dict[str, list]]] = defaultdict(lambda: {"names": defaultdict(list), "synonyms": defaultdict(list)})
    for entity in handbook.all():
        for key in dict.fromkeys(normalize(name) for name in names_of(entity)):
            if key:
                found[shard_of(key)]["names"][key].append(entity)
    for synonym in handbook.synonyms:
        key = normalize(synonym.term)
        found[shard_of(key)]["synonyms"][key] = [handbook.get(target) for target in synonym.targets]
    result = {}
    for shard, parts in sorted(found.items()):
        pages: dict[tuple, int] = {}  # entity key -> its index in this shard's page list
        listed = []

        def index(entity: Entity) -> int:
            if entity.key not in pages:
                pages[entity.key] = len(listed)
                listed.append([f"{entity.kind.folder}/{entity.id}/", shown_title(entity), entity.kind.singular, [area_index[a] for a in areas_of(entity)]])
            return pages[entity.key]

        lookups = {part: {key: [index(e) for e in entities] for key, entities in parts[part].items()} for part in parts}
        result[shard] = {"pages": listed, **lookups}
    return result


def vocabulary(kind_options, area_options, shard_names) -> dict:
    """The labels the panel shows (every kind's, the explorer's kind and area options), and the shards."""
    return {
        "shards": sorted(shard_names),
        "kinds": dict([(kind.singular, kind.label) for kind in KINDS.values()] + [PAGE_KIND]),
        "kind_options": [list(option) for option in kind_options],
        "area_options": [list(option) for option in area_options],
    }


def files(handbook: Handbook, areas_of, kind_options, area_options) -> Iterator[tuple[str, str]]:
    # Files fetched by the script, never placed inside HTML: plain JSON is enough.
    def dumps(value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    found = shards(handbook, areas_of, [area for area, _ in area_options])
    for shard, content in found.items():
        yield f"{FOLDER}/{shard}.json", dumps(content)
    # The script fetches only the shards listed here: no request for a missing file.
    yield VOCABULARY, dumps(vocabulary(kind_options, area_options, found))
