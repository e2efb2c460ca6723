"""Problems as GitHub Actions workflow commands, so they show on a pull request's changed lines.

Format: ``::error file=data/x.yml,line=3,title=…::message`` (``::warning`` for warnings).
Workflow commands are parsed from the step's output, so the message escapes ``%``, CR
and LF, and property values also escape ``:`` and ``,``, as the runner expects.
"""

from __future__ import annotations

import os

from .yaml_source import Problem

TITLES = {"error": "Handbook data error", "warning": "Handbook data warning"}


def in_github_actions(environ=os.environ) -> bool:
    return environ.get("GITHUB_ACTIONS") == "true"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem) -> str:
    command = "error" if problem.is_error else "warning"
    properties = {"file": problem.path, "line": str(problem.line), "title": TITLES.get(problem.severity, TITLES["error"])}
    joined = ",".join(f"{name}={escape_property(value)}" for name, value in properties.items())
    return f"::{command} {joined}::{escape_data(problem.message)}"
