"""Every code example in the handbook, and how the tests prove it works.

An example is a technology's ``example`` field or a fenced code block inside any
Markdown field. Each one is run, parsed or exempt, by its language label:

- run: a technology's SQL example against a real PostgreSQL server (in an empty
  database, so it creates what it uses), Python with the standard library;
- parsed: shell through shellcheck (a ``console`` session's ``$`` commands too),
  Dockerfiles through hadolint, YAML/JSON/TOML by their parsers, other languages by
  tree-sitter grammars, so a syntax error fails; SQL and Python fences inside prose by
  PostgreSQL's own parser (pglast) and Python's, because such a fragment may use tables or
  objects defined elsewhere (an SQL fence that creates what it uses also runs whole);
- exempt: a technology example with ``runs: false`` and its ``reason``, or a fence
  whose language is prose or has no parser here (``EXEMPT_FENCES`` says why).

``make check`` reports a label that is none of these, so a wrong label (CQL written
as ``sql``) is caught by the check that fits it rather than passing unchecked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .model import Entity
from .per_entity import PerEntity
from .yaml_source import LineDict, Problem, texts

# Language label -> how the tests check it (tests/example_checks.py).
CHECKS = {
    "sql": "postgresql",
    "postgresql": "postgresql",
    "python": "python",
    "bash": "shellcheck",
    "sh": "shellcheck",
    "console": "shellcheck-session",
    "dockerfile": "hadolint",
    "yaml": "yaml",
    "json": "json",
    "toml": "toml",
    # tree-sitter grammars: a syntax error fails
    **{
        label: "tree-sitter"
        for label in (
            "csharp",
            "go",
            "graphql",
            "groovy",
            "hcl",
            "ini",
            "java",
            "javascript",
            "kotlin",
            "php",
            "proto",
            "protobuf",
            "ruby",
            "rust",
            "scala",
            "typescript",
            "xml",
        )
    },
}

# Inside prose, code is a fragment (a query on tables, a call on a cursor, defined elsewhere):
# parsed by its language's own grammar, not run. A technology's example is whole, and runs.
FENCE_CHECKS = {**CHECKS, "sql": "postgresql-parse", "postgresql": "postgresql-parse", "python": "python-parse"}

# Fences that hold no program: what each is, and so why nothing runs it.
EXEMPT_FENCES = {
    "": "an unlabelled block is shown as plain text",
    "text": "plain text or program output, nothing to run",
    "checklist": "a review checklist rendered as a list, not code",
    "mermaid": "diagram source, drawn by Mermaid in the browser tests",
    "http": "an HTTP exchange as it travels on the wire; no parser here",
    "promql": "a Prometheus query; no PromQL parser is installed here",
    "markdown": "Markdown shown as text",
    "nginx": "nginx configuration; no nginx binary or parser in the tests",
}

# A fence opening or closing a code block inside Markdown text, with its indentation.
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)$", re.M)


@dataclass(frozen=True)
class Example:
    source: str  # the data file, e.g. data/technologies/redis.yml
    line: int  # where the code starts in that file
    language: str
    code: str
    reason: str | None = None  # why it is neither run nor parsed; None when it is checked
    fenced: bool = False  # a code block inside Markdown text, not a technology's example

    @property
    def check(self) -> str | None:
        """How the tests check it (a CHECKS value), or None when it is exempt."""
        return None if self.reason else (FENCE_CHECKS if self.fenced else CHECKS).get(self.language)

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"


def fenced_blocks(text: str) -> Iterator[tuple[int, str, str]]:
    """(line offset of the code, language, code) of each fenced block in Markdown ``text``."""
    opening = None
    for match in FENCE.finditer(text):
        if opening is None:
            opening = match
            continue
        if match["fence"][0] == opening["fence"][0] and len(match["fence"]) >= len(opening["fence"]) and not match["info"].strip():
            start = opening.end() + 1
            indent = len(opening["indent"])
            lines = text[start : match.start()].splitlines()
            code = "\n".join(line[indent:] if line[:indent].strip() == "" else line for line in lines)
            yield text.count("\n", 0, start), opening["info"].split()[0] if opening["info"].strip() else "", code + "\n"
            opening = None


def examples(entities: Iterable[Entity]) -> list[Example]:
    found = []
    for entity in entities:
        example = entity.data.get("example")
        if isinstance(example, dict):
            line = example.line_of("code") + 1 if isinstance(example, LineDict) else 1
            reason = example.get("reason") if example.get("runs") is False else None
            found.append(Example(entity.source, line, example["language"], example["code"], reason))
        # A technology's example is taken whole above; fences live in the Markdown fields.
        for line, text in texts(entity.data, skip=frozenset({"example"})):
            if "```" not in text and "~~~" not in text:
                continue
            for offset, language, code in fenced_blocks(text):
                found.append(Example(entity.source, line + offset, language, code, EXEMPT_FENCES.get(language), fenced=True))
    return found


def _label_problems(entity: Entity) -> tuple[list[Problem], list[Problem]]:
    """One file's part of label_problems: (runs/reason mismatch, unchecked labels)."""
    example, paired = entity.data.get("example"), []
    if isinstance(example, LineDict) and (example.get("runs") is False) != ("reason" in example):
        paired.append(
            Problem(
                entity.source,
                example.line_of("runs" if "runs" in example else "reason"),
                "example: `runs: false` and `reason` go together; give both or neither",
            )
        )
    unchecked = [
        Problem(
            example.source,
            example.line,
            f"no test can run or parse a '{example.language}' example: if a check in macros/examples.py"
            " fits its real language, label it so; otherwise add `runs: false` and a `reason`",
        )
        for example in examples([entity])
        if example.reason is None and example.language not in CHECKS
    ]
    return paired, unchecked


_labels = PerEntity(_label_problems)  # under `make serve`, only edited files are read again


def label_problems(known: dict[str, dict[str, Entity]]) -> list[Problem]:
    """An example whose language nothing here checks, and that does not say why."""
    parts = _labels(sorted((e for by_id in known.values() for e in by_id.values()), key=lambda e: e.source))
    return [problem for paired, _ in parts for problem in paired] + [problem for _, unchecked in parts for problem in unchecked]
