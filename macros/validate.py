"""Check parsed data files against their JSON Schemas and against each other (cross_rules.py).

Every check appends to one list of problems, so a contributor sees everything
that is wrong in a single run, each as ``path:line: what is wrong and how to fix it``.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import json
import re
from collections import defaultdict

import fastjsonschema

from . import compiled_schemas, freshness, list_indentation, onboarding, placeholders, versions
from .cross_rules import cross_problems
from .model import KIND_BY_SINGULAR, KINDS, SCHEMA_DIR, Entity, Kind
from .yaml_source import LineDict, LineList, Problem
from .yaml_source import field_name as _field_name

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# [text](technology:redis) or [text](technology:redis#anchor): a link to another entry.
INLINE_REF = re.compile(r"\]\(\s*(?P<kind>[a-z]+):(?P<id>[^)\s#]*)(?P<anchor>#[^)\s]*)?\s*\)")
LINK_TARGET = re.compile(r"\]\(\s*<?(?P<url>[^)\s>]*)|^[ ]{0,3}\[[^\]]+\]:\s*<?(?P<ref_url>[^\s>]+)", re.M)
SAFE_SCHEMES = ("http:", "https:", "mailto:")


def _inline_refs(schema, common: dict):
    """The schema with every reference to common.schema.json written out in place.

    Resolving references once, here, makes validation several times faster than
    letting jsonschema look each one up for every value of every file.
    """
    if isinstance(schema, list):
        return [_inline_refs(item, common) for item in schema]
    if not isinstance(schema, dict):
        return schema
    ref = schema.get("$ref", "")
    if ref.startswith(("common.schema.json#/$defs/", "#/$defs/")):
        target = common["$defs"][ref.rsplit("/", 1)[1]]
        siblings = {key: value for key, value in schema.items() if key != "$ref"}
        return {**_inline_refs(target, common), **_inline_refs(siblings, common)}
    return {key: _inline_refs(value, common) for key, value in schema.items()}


@functools.cache
def _schema(kind: Kind) -> dict:
    common = json.loads((SCHEMA_DIR / "common.schema.json").read_text(encoding="utf-8"))
    return _inline_refs(kind.schema, common)


@functools.cache
def _validator(kind: Kind):
    """The reference validator: slower, but lists every error with its path."""
    import jsonschema  # only needed, and only imported, when a file is invalid

    return jsonschema.Draft202012Validator(_schema(kind), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _is_date(value) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


@functools.cache
def _fast_check(kind: Kind):
    """The same schema compiled to Python: about 10x faster, but stops at the first error.

    Valid files (nearly all of them) pass here; a file that fails is validated again
    with jsonschema so the contributor sees every problem with a clear message.
    """
    schema = {key: value for key, value in _schema(kind).items() if key != "$schema"}
    # Without detailed exceptions the generated code is half the size: we only need pass or fail.
    return compiled_schemas.compiled(schema, {"date": _is_date})  # kept in .cache/ between runs


def _closest(word: str, choices) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f"; did you mean '{match[0]}'?" if match else ""


def _line_at(data, path) -> int:
    """Line of the value at ``path`` (keys and indexes), or of its nearest parent."""
    line = getattr(data, "line", 1)
    node = data
    for step in path:
        if isinstance(node, LineDict) and step in node:
            line = node.text_lines.get(step, node.line_of(step))
        elif isinstance(node, LineList) and isinstance(step, int) and step < len(node):
            line = node.line_of(step)
        else:
            break
        node = node[step]
    return line


def _describe(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _a_type(expected) -> str:
    """A JSON Schema type as a contributor reads it: 'a list', 'a string', 'an integer'."""
    if expected == "array":
        return "a list"
    name = str(expected)
    return f"{'an' if name[:1] in 'aeiou' else 'a'} {name}"


def schema_problems(entity: Entity) -> list[Problem]:
    """Every way the entity's data differs from its kind's schema."""
    try:
        _fast_check(entity.kind)(entity.data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    problems = []
    for error in _validator(entity.kind).iter_errors(entity.data):
        path = list(error.absolute_path)
        field = _field_name(path)
        line = _line_at(entity.data, path)
        hint = error.schema.get("x-error") if isinstance(error.schema, dict) else None
        if error.validator == "additionalProperties":
            allowed = error.schema.get("properties", {})
            for key in sorted(set(error.instance) - set(allowed)):
                where = error.instance.line_of(key) if isinstance(error.instance, LineDict) else line
                problems.append(
                    Problem(
                        entity.source,
                        where,
                        f"unknown field '{_field_name([*path, key])}'{_closest(key, allowed)}"
                        f" (allowed here: {', '.join(allowed)})",
                    )
                )
            continue
        if error.validator == "required":
            for key in error.validator_value:
                if key not in error.instance:
                    problems.append(
                        Problem(entity.source, line, f"missing required field '{_field_name([*path, key])}'")
                    )
            continue
        if error.validator == "type" and hint and error.validator_value == "string" and isinstance(error.instance, (int, float)):
            message = f"{field} {hint} (found the number {_describe(error.instance)})"  # e.g. a version YAML read as a number
        elif error.validator == "type":
            expected = error.validator_value
            message = f"{field} must be {_a_type(expected)}, not {_describe(error.instance)}"
        elif error.validator == "enum":
            options = ", ".join(map(str, error.validator_value))
            message = f"{field} is {_describe(error.instance)}{_closest(str(error.instance), map(str, error.validator_value))} (choose one of: {options})"
        elif hint:
            message = f"{field} {hint} (found {_describe(error.instance)})"
        elif error.validator == "minItems":
            message = f"{field} needs at least {error.validator_value} item(s)"
        elif error.validator == "uniqueItems":
            message = f"{field} lists the same item twice; keep one"
        else:
            message = f"{field}: {error.message}"
        problems.append(Problem(entity.source, line, message))
    return problems


def _texts_with_links(data, line: int, found: list) -> list:
    """Every string in the data that may hold a Markdown link, with the line its text starts on."""
    if isinstance(data, str):
        if "](" in data or "]:" in data:
            found.append((data, line))
    elif isinstance(data, LineDict):
        lines = data.text_lines
        for key, value in data.items():
            _texts_with_links(value, lines.get(key, data.line), found)
    elif isinstance(data, LineList):
        for value, item_line in zip(data, data.item_lines):
            _texts_with_links(value, item_line, found)
    return found


def _line_in(text: str, start_line: int, offset: int) -> int:
    return start_line + text.count("\n", 0, offset)


def text_problems(entity: Entity, known: dict[str, dict[str, Entity]]) -> tuple[list[Problem], list[tuple]]:
    """Check links inside text fields; return problems and the inline references found."""
    problems, refs = [], []
    for text, line in _texts_with_links(entity.data, entity.data.line, []):
        for match in INLINE_REF.finditer(text):
            kind = KIND_BY_SINGULAR.get(match["kind"])
            if kind is None:
                continue  # an ordinary URL scheme: judged below
            where = _line_in(text, line, match.start())
            if match["id"] not in known.get(kind.folder, {}):
                problems.append(
                    Problem(
                        entity.source,
                        where,
                        f"link to unknown {kind.singular} '{match['id']}'{_closest(match['id'], known.get(kind.folder, {}))}",
                    )
                )
            else:
                refs.append((kind.folder, match["id"]))
        for match in LINK_TARGET.finditer(text):
            url = match["url"] if match["url"] is not None else match["ref_url"]
            scheme = url.split(":", 1)[0] + ":" if ":" in url else ""
            if not url or url.startswith("#") or url.startswith(SAFE_SCHEMES) or scheme[:-1] in KIND_BY_SINGULAR:
                continue
            problems.append(
                Problem(
                    entity.source,
                    _line_in(text, line, match.start()),
                    f"link target '{url}' is not allowed: use https://… for outside pages"
                    " or [text](kind:id) for handbook entries, e.g. [Redis](technology:redis)",
                )
            )
    return problems, refs


def reference_problems(entity: Entity, known: dict[str, dict[str, Entity]]) -> list[Problem]:
    """Check every field that names other entities."""
    problems = []
    for name, target in entity.kind.references.items():
        target_kind = KINDS[target]
        for where, value in entity.kind.reference_groups(entity.data, name):
            # Nested fields are named in full in messages: stages[0].steps[2].activities.
            field = name if len(where) == 1 else _field_name(where)
            line = entity.data.line_of(name) if len(where) == 1 else _line_at(entity.data, where)
            items = [(value, line)] if isinstance(value, str) else (
                [(v, value.line_of(i)) for i, v in enumerate(value)] if isinstance(value, LineList) else []
            )
            seen = {}
            for ref, line in items:
                if not isinstance(ref, str):
                    continue
                if ref in seen:
                    problems.append(Problem(entity.source, line, f"{field} names '{ref}' twice (also line {seen[ref]}); keep one"))
                    continue
                seen[ref] = line
                if (target, ref) == entity.key:
                    problems.append(Problem(entity.source, line, f"{field} names this entry itself; remove '{ref}'"))
                elif ref not in known.get(target, {}):
                    problems.append(
                        Problem(
                            entity.source,
                            line,
                            f"{field} names unknown {target_kind.singular} '{ref}'{_closest(ref, known.get(target, {}))}"
                            f" (there is no data/{target}/{ref}.yml)",
                        )
                    )
    return problems


def file_identity_problems(entity: Entity, stem: str, known_sources: dict[tuple, str]) -> list[Problem]:
    """The id must be a valid id and equal the file name."""
    problems = []
    if stem == "index":
        problems.append(Problem(entity.source, 1, "'index' is reserved for the kind's index page; choose another file name"))
    elif not ID_PATTERN.match(stem):
        problems.append(
            Problem(entity.source, 1, f"file name '{stem}' is not a valid id: use lowercase words joined by hyphens, e.g. 'api-versioning.yml'")
        )
    declared = entity.data.get("id")
    if isinstance(declared, str) and declared != stem:
        clash = known_sources.get((entity.kind.folder, declared))
        extra = f"; id '{declared}' is also used by {clash}" if clash else ""
        problems.append(
            Problem(
                entity.source,
                entity.data.line_of("id"),
                f"id '{declared}' does not match the file name '{stem}.yml': rename the file or set id: {stem}{extra}",
            )
        )
    return problems


def entity_problems(entity: Entity, stem: str, sources: dict[tuple, str], known: dict, today: datetime.date):
    """The checks of one entity: (problems, placeholders left, its inline references).

    They read only the entity itself, which ids exist (``known``: those parsed and those that
    failed to parse; ``sources``) and ``today``,
    so ``make serve`` keeps their results for files that did not change (serve_data.py)."""
    unfilled = placeholders.placeholder_problems(entity)
    problems = freshness.review_problems(entity, today)
    problems += file_identity_problems(entity, stem, sources)
    problems += schema_problems(entity)
    problems += reference_problems(entity, known)
    found, refs = text_problems(entity, known)
    problems += found
    problems += list_indentation.problems(entity)
    if entity.kind.folder == "paths":
        problems += onboarding.step_problems(entity)
    if entity.kind.folder == "technologies":
        problems += versions.versions_problems(entity, today)
    return problems, unfilled, refs


def all_problems(
    entities: list[tuple[Entity, str]], today: datetime.date | None = None, unparsed=(), checks=entity_problems
) -> tuple[list[Problem], dict]:
    """Run every check; return the problems (errors and warnings) and the inline references per entity.

    ``today`` is the date reviews are measured against (default: freshness.today()); references
    to ``unparsed`` (folder, id) files, whose syntax error is reported already, are not unknown;
    ``checks`` runs one entity's own checks (entity_problems, or a cache of it).
    """
    today = today or freshness.today()
    known: dict[str, dict[str, Entity]] = defaultdict(dict)
    sources = {}
    for entity, stem in entities:
        known[entity.kind.folder][entity.id] = entity
        sources[(entity.kind.folder, entity.id)] = entity.source
    problems: list[Problem] = []
    unfilled: list[Problem] = []
    inline_refs = {}
    named = {folder: {**known.get(folder, {}), **{i: None for f, i in unparsed if f == folder}} for folder in KINDS}
    for entity, stem in entities:
        found, left, inline_refs[entity.key] = checks(entity, stem, sources, named, today)
        problems += found
        unfilled += left
    problems += cross_problems(known)
    return placeholders.without_shadowed(problems, unfilled), inline_refs
