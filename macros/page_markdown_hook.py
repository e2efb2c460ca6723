"""MkDocs hook: publish each page's Markdown copy at its address, beside the page's HTML.

MkDocs turns any ``.md`` file into a page, so site_files generates the copies as static
files under ``llms_txt.COPIES`` with a ``.txt`` suffix; here, after hooks.py has added them,
each is given its real destination (``technologies/redis/index.md``) and is then copied
like any other static file. A hook of its own so the build adapter stays as it is.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # hooks are loaded by file path, not as a package
    sys.path.insert(0, str(ROOT))

from macros.llms_txt import copy_destination  # noqa: E402


@event_priority(50)  # after hooks.py's on_files (100) has added the generated files
def on_files(files: Files, config) -> Files:
    for file in files:
        destination = copy_destination(file.src_uri) if file.generated_by is not None else None
        if destination is not None:
            file.dest_uri = destination  # before anything reads its URL or destination path
    return files
