"""What the build lets go of, page by page, so a large handbook builds in bounded memory.

MkDocs keeps every page's Markdown, HTML and table of contents until the end of the
build, and converts every page before it renders the first template. At 50x data that
was most of the build's peak. ``PageMemory`` drops each of them as soon as MkDocs is
done with it; in a large handbook (``generation_process.large``) it also keeps a
generated page's HTML zlib-compressed between conversion and template. ``release``
hands freed memory back to the OS before the search index is serialised.

Hand-written pages keep their HTML uncompressed: plugins may still edit it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import zlib

from mkdocs.structure.toc import get_toc

# glibc's malloc_trim, where there is one (Linux); elsewhere memory is simply not trimmed.
_LIBC = ctypes.CDLL(ctypes.util.find_library("c")) if ctypes.util.find_library("c") else None
if _LIBC is not None and not hasattr(_LIBC, "malloc_trim"):
    _LIBC = None


class PageMemory:
    """One build's per-page releases; ``compress``: keep generated pages' HTML compressed."""

    def __init__(self, compress: bool):
        self._packed: dict[str, bytes] | None = {} if compress else None

    @staticmethod
    def markdown_read(page) -> None:
        """A generated page's source was read once already; the page keeps its own copy."""
        if page.file.generated_by is not None:
            page.file.content_string = ""

    def converted(self, html: str, page) -> str:
        """The page is HTML now: drop its Markdown, and in a large handbook pack a generated page's HTML."""
        page.markdown = None
        if self._packed is None or page.file.generated_by is None:
            return html
        self._packed[page.file.src_uri] = zlib.compress(html.encode("utf-8"), 1)
        return ""

    def before_template(self, page) -> None:
        """Unpack the page's HTML, which its template (and the search plugin) reads now."""
        packed = self._packed.pop(page.file.src_uri, None) if self._packed is not None else None
        if packed is not None:
            page.content = zlib.decompress(packed).decode("utf-8")

    @staticmethod
    def written(page) -> None:
        """The page's HTML and table of contents are in its output; other pages' templates
        only read its title and URL, and anchor checks keep what they need apart."""
        page.content = None
        page.toc = get_toc([])


def release() -> None:
    """Collect garbage and hand freed memory back to the OS (glibc keeps it mapped otherwise)."""
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
