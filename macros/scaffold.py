"""`make new KIND=technology ID=kafka-streams`: start a data file from its kind's JSON Schema.

Every required field is written with a placeholder shaped by its schema (text, list,
object, reference, enum, date = today); every optional field follows as commented-out
lines with its description, except those a complete entry needs (completeness.EXPECTED_FIELDS),
written out like required ones. The file is generated from the schema alone, so a new kind
or field needs no change here. Placeholders contain ``placeholders.MARKER`` and are
errors in `make check` until replaced.

    python -m macros.scaffold [--data DIR] [--] KIND ID

Exit status 2, one line on stderr and nothing written, for an unknown kind, an invalid
id or an id that already exists.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import completeness, freshness
from .model import KIND_BY_SINGULAR, KINDS, SCHEMA_DIR, Kind
from .cli import fail
from .placeholders import placeholder
from .validate import ID_PATTERN

# Shared definitions whose text is Markdown, written as a block scalar ("|") to write paragraphs in.
BLOCK_DEFS = {"markdown"}


class UsageError(Exception):
    """A mistake in the command line: reported in one line, nothing written."""


def find_kind(name: str) -> Kind:
    kind = KINDS.get(name) or KIND_BY_SINGULAR.get(name)
    if kind is None:
        names = ", ".join(f"{k.singular} ({k.folder})" for k in KINDS.values())
        raise UsageError(f"unknown kind '{name}': use one of {names}")
    return kind


class _Schema:
    """Reads a kind's schema, following references into common.schema.json."""

    def __init__(self, kind: Kind):
        self.common = json.loads((SCHEMA_DIR / "common.schema.json").read_text(encoding="utf-8"))["$defs"]
        self.root = kind.schema

    def resolve(self, spec: dict) -> tuple[dict, str | None]:
        """The spec with its reference merged in (the spec's own keys win), and the definition's name."""
        ref = spec.get("$ref", "")
        if not ref:
            return spec, None
        name = ref.rsplit("/", 1)[1]
        target, _ = self.resolve(self.common[name])
        return {**target, **{k: v for k, v in spec.items() if k != "$ref"}}, name


def _scalar(value) -> str:
    """A YAML scalar: JSON strings are valid YAML double-quoted strings."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def _humanise(name: str) -> str:
    return name.replace("_", " ")


class _Writer:
    def __init__(self, kind: Kind, entity_id: str, today: str):
        self.kind = kind
        self.id = entity_id
        self.today = today
        self.schema = _Schema(kind)
        self.described: set[str] = set()  # a description is written once, where it first applies

    @staticmethod
    def hint(name: str, spec: dict, description: str | None) -> str:
        """What to write in a string field, for its placeholder."""
        if "x-ref" in spec:
            return f"an id from data/{spec['x-ref']}/"
        error = spec.get("x-error", "")
        if error.startswith(("must be a ", "must be an ")):  # a format: url, handle, lexer name
            return error.removeprefix("must be ").split(";")[0]
        return description or _humanise(name)

    def value(self, name: str, spec: dict, indent: int, ref_name=None, description=None) -> list[str]:
        """Lines for one value, the first without its key (the caller prefixes it)."""
        pad = " " * indent
        if name == "id" and indent == 0:
            return [f" {self.id}"]
        if "enum" in spec:
            return [" " + _scalar(placeholder("one of " + ", ".join(map(str, spec["enum"]))))]
        kind = spec.get("type")
        if kind == "object":
            return [""] + self.mapping(spec, indent + 2)
        if kind == "array":
            items, _ = self.schema.resolve(spec.get("items", {}))
            if "x-ref" in spec:
                items = {**items, "x-ref": spec["x-ref"]}
            if items.get("type") == "object":  # "- key: value", the next keys aligned under the first
                lines = self.mapping(items, indent + 4)
                # Comments before the first key go above the "- "; later ones stay beside their keys.
                lead = next(i for i, line in enumerate(lines) if not line.lstrip().startswith("#"))
                first, *rest = lines[lead:]
                # As many items as the schema asks for (three pitfalls), so the file checks once filled in.
                item = [f"{pad}  - {first.lstrip()}", *rest]
                return ["", *lines[:lead], *item * max(1, spec.get("minItems", 1))]
            first, *rest = self.value(name, items, indent + 2)  # items are one line each
            return ["", f"{pad}  -{first}", *rest]
        if kind == "integer" and "x-error" not in spec:
            start = f" from {spec['minimum']}" if "minimum" in spec else ""
            return [" " + _scalar(placeholder(f"a whole number{start}"))]
        if spec.get("format") == "date":
            return [f" {self.today}"]
        text = placeholder(self.hint(name, spec, description))
        if ref_name in BLOCK_DEFS:
            return [" |", f"{pad}  {text}"]
        return [" " + _scalar(text)]

    def mapping(self, spec: dict, indent: int) -> list[str]:
        """Every property: required ones as values to fill in, optional ones commented out."""
        lines = []
        required = set(spec.get("required", []))
        # "At least one of these" (anyOf of required lists): the first choice is written out.
        required.update(spec.get("anyOf", [{}])[0].get("required", []))
        expected = completeness.EXPECTED_FIELDS.get(self.kind.folder, {}) if indent == 0 else {}
        pad = " " * indent
        for name, raw in spec.get("properties", {}).items():
            field, ref_name = self.schema.resolve(raw)
            first, *rest = self.value(name, field, indent, ref_name, raw.get("description"))
            block = [f"{pad}{name}:{first}", *rest]
            description = field.get("description")
            said = description in self.described or any(description in line for line in block) if description else True
            if not said and not (name == "id" and indent == 0):
                self.described.add(description)
                lines.append(f"{pad}# {description}")
            if name in expected:
                lines.append(f"# {expected[name]}")
            if name not in required and name not in expected:  # commented out, without the descriptions nested inside
                block = [f"{pad}# {line[indent:]}" for line in block if not line.lstrip().startswith("#")]
            lines += block
        return lines


def render(kind: Kind, entity_id: str, today: str) -> str:
    """The text of a new data file for ``kind`` with id ``entity_id``."""
    writer = _Writer(kind, entity_id, today)
    header = [
        f"# New {kind.label.lower()}: data/{kind.folder}/{entity_id}.yml",
        '# Replace every "TODO(fill in): ..." with your own words; `make check` lists each one left.',
        f"# Rules for every field: macros/schemas/{kind.singular}.schema.json; writing guide: CONTRIBUTING.md.",
        "# Optional fields are commented out: uncomment the ones you need and delete the rest.",
    ]
    if kind.folder in completeness.ELSEWHERE:
        header.append(f"# For a complete entry, also {completeness.ELSEWHERE[kind.folder].format(id=entity_id)}.")
    return "\n".join(header + writer.mapping(kind.schema, 0)) + "\n"


def create(kind_name: str, entity_id: str, data_dir: Path) -> Path:
    """Write the new file and return its path; UsageError (nothing written) when it cannot."""
    kind = find_kind(kind_name)
    if entity_id == "index":
        raise UsageError("'index' is reserved for the kind's index page: choose another id")
    if not ID_PATTERN.match(entity_id):
        raise UsageError(
            f"'{entity_id}' is not a valid id: use lowercase words and digits joined by hyphens, e.g. 'api-versioning'"
        )
    if not data_dir.is_dir():
        raise UsageError(f"no data folder at {data_dir}: run this from the repository's root")
    path = data_dir / kind.folder / f"{entity_id}.yml"
    if path.exists():
        raise UsageError(f"{path.as_posix()} already exists: edit it, or choose another id")
    text = render(kind, entity_id, freshness.today().isoformat())
    path.parent.mkdir(exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
        out.write(text)
    return path


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        raise UsageError(message)


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="make new", description="Start a data file from its kind's schema.")
    parser.add_argument("kind", nargs="?", default="", help="technology or technologies, activity, term, ...")
    parser.add_argument("id", nargs="?", default="", help="lowercase words joined by hyphens, e.g. kafka-streams")
    parser.add_argument("--data", type=Path, default=Path("data"), help="the data folder (default: data)")
    try:
        args = parser.parse_args(argv)
        if not args.kind or not args.id:
            raise UsageError("usage: make new KIND=<kind> ID=<id>, e.g. make new KIND=technology ID=kafka-streams")
        path = create(args.kind, args.id, args.data)
    except UsageError as error:
        return fail(f"make new: {error}", 2)
    kind = find_kind(args.kind)
    print(
        f"wrote {path.as_posix()}: replace each TODO(fill in), run `make check`, then `make serve`"
        f" and open http://127.0.0.1:8000/handbook/{kind.folder}/{args.id}/"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
