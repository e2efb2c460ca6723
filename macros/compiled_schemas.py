"""A schema compiled to a Python check by fastjsonschema, kept in .cache/ between runs.

Generating and compiling the code of the eight schemas is about 0.09 s, a fifth of
`make check`; loading it back is a millisecond. The cache key is the schema itself with
fastjsonschema's and Python's versions, so an edited schema or an upgrade compiles afresh;
a missing or unreadable cache file is only compiled again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import marshal
import os
import sys
import tempfile
import types
from collections.abc import Callable
from pathlib import Path

import fastjsonschema
from fastjsonschema.ref_resolver import RefResolver

FOLDER = Path(__file__).resolve().parent.parent / ".cache" / "schemas"


def compiled(schema: dict, formats: dict[str, Callable]) -> Callable:
    """What ``fastjsonschema.compile(schema, formats=formats, detailed_exceptions=False)`` returns."""
    key = json.dumps([schema, sorted(formats), fastjsonschema.VERSION, sys.version], sort_keys=True, default=str)
    path = FOLDER / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:24]}.marshal"
    try:
        code = marshal.loads(path.read_bytes())
        if not isinstance(code, types.CodeType):
            raise ValueError(f"{path} holds no code")
    except (OSError, ValueError, EOFError, TypeError):
        source = fastjsonschema.compile_to_code(schema, formats=formats, detailed_exceptions=False)
        code = compile(source, f"<schema check {path.stem}>", "exec")
        _save(path, marshal.dumps(code))
    namespace: dict = {}
    exec(code, namespace)  # our own generated code, from our own schema
    check = namespace[RefResolver.from_schema(schema, handlers={}, store={}).get_scope_name()]
    return functools.partial(check, custom_formats=formats)


def _save(path: Path, data: bytes) -> None:
    """Write atomically; a cache that cannot be written (read-only checkout) is only slower."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as out:
            out.write(data)
        os.replace(out.name, path)
    except OSError:
        pass
