"""The names each entity page answers to in search: title, abbreviation and aliases.

Written at build time to ``search/names.json`` (page location -> lower-case names) for
the search worker wrapper (overrides/assets/javascripts/workers/handbook-search.js),
which ranks a page first when the query is exactly one of its names: "git" finds Git
before GitHub, "k8s" finds Kubernetes, "orm" finds object-relational mapping.
"""

from __future__ import annotations

import json

from .model import Handbook

LOCATION = "search/names.json"


def normalize(name: str) -> str:
    """The same normalization as the worker's: lower case, single spaces."""
    return " ".join(name.lower().split())


def names(handbook: Handbook) -> dict[str, list[str]]:
    found = {}
    for entity in handbook.all():
        candidates = [entity.title, entity.data.get("abbreviation") or "", *(entity.data.get("aliases") or [])]
        unique = dict.fromkeys(normalize(name) for name in candidates if name.strip())
        found[f"{entity.kind.folder}/{entity.id}/"] = list(unique)
    return found


def names_json(handbook: Handbook) -> str:
    # A file fetched by the worker, never placed inside HTML: plain JSON is enough.
    return json.dumps(names(handbook), ensure_ascii=False, separators=(",", ":"))
