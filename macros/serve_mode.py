"""`make serve` (`mkdocs serve --dirty`): after a data edit, MkDocs converts only the pages that changed.

MkDocs reloads mkdocs.yml and re-runs the hook file on every rebuild, but this module stays
imported, so the session lives here: the parsed data (serve_data.py), the generated files
and what each page read (serve_site.py), each page's tags.

Each rebuild is one of:
- *data edit*: the files serve_site wrote are marked modified, every other file not, so
  MkDocs' dirty build reads, converts and writes only those (plus the tags page when a
  title or tag changed, and the hand-written pages whose macros now return something
  else). The tags page gets the other pages' tags from earlier builds, in the order a full
  build gives them; pages that are gone are deleted from the site; the search index
  (Pagefind, over the whole written site) is made again in the background after the reload;
  a save while it runs stops it (the next rebuild never waits for it) and it starts again
  after that save's rebuild;
- *full rebuild*: anything else changed (docs/, overrides/, templates, schemas, mkdocs.yml,
  macros/ code, the glossary's abbreviations): the site folder is emptied and built again;
- *invalid data*: the report is printed as `make check` prints it, nothing is rebuilt, and
  every served page shows the report in a banner until a save makes the data valid again.
  The banner is added as pages are served (like MkDocs' live-reload script), never written
  into the site, so what is served stays equal to a clean build.
"""

from __future__ import annotations

import gc
import html
import logging
import os
import tempfile
import threading
import time
from pathlib import Path

from jinja2 import BytecodeCache
from mkdocs.utils import clean_directory

from . import history, llms_txt, page_macros, per_entity, serve_data, serve_site, site_files
from .loader import DataError, load_handbook

log = logging.getLogger("mkdocs.hooks.handbook.serve")
ROOT = Path(__file__).resolve().parent.parent
# What a full rebuild needs besides data/: (folder or file, why, whether a restart is needed too).
SOURCES = (
    ("macros/templates", "a template changed", False),
    ("macros/schemas", "a schema changed (restart `make serve` for its rules to apply)", True),
    ("macros", "macros/ code changed (restart `make serve` to load it)", True),
    ("overrides", "a theme override changed", False),
)
BANNER = (
    '<div role="alert" style="position:sticky;top:0;z-index:10;padding:.8em 1.2em;background:#b71c1c;color:#fff;'
    'font:14px/1.4 monospace;white-space:pre-wrap;max-height:40vh;overflow:auto">'
    "<strong>The data is invalid: showing the last good build.</strong>\n{report}</div>"
)


class _Session:
    def __init__(self):
        self.active = False  # mkdocs serve --dirty
        self.cache = serve_data.Cache()
        self.site = serve_site.Site(Path(tempfile.mkdtemp(prefix="handbook-serve-")))
        self.stamps: dict[str, tuple] | None = None  # the non-data sources at the last build
        self.problems: str | None = None  # the report shown in the banner
        self.mode = "full"  # this build: "full", "data" or "invalid"
        self.reason = "first build"
        self.update: serve_site.Update | None = None
        self.started = 0.0
        self.tags: dict[str, object] = {}  # page url -> its tag mapping
        self.outputs: dict[str, str] = {}  # generated src_uri -> its file in the site
        self.files = None
        self.changes = None  # the git history (history.read), read once per session
        self.background: threading.Thread | None = None
        self.stop = threading.Event()  # set: the background work is to end now
        self.index_due = False  # the last background work was stopped before it finished
        self.bytecode = _CompiledTemplates()
        self.theme_files: dict[tuple, list] = {}  # theme folders -> the files in them


class _CompiledTemplates(BytecodeCache):
    """The theme's templates, compiled once per session (Jinja checks each one's source checksum)."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_session = _Session()
_frozen = False  # _keep_long_lived has run


def keep_theme(config) -> None:
    """on_config: each rebuild's fresh theme environment reuses the session's compiled templates,
    and its list of theme files (thousands of icons, walked on every build otherwise)."""
    theme, new_env = config.theme, config.theme.get_env

    def get_env():
        env = new_env()
        env.bytecode_cache = _session.bytecode
        list_templates = env.list_templates

        def listed(extensions=None, filter_func=None):
            key = (tuple(theme.dirs), extensions, filter_func and filter_func.__qualname__)
            if key not in _session.theme_files or _session.mode == "full":
                _session.theme_files[key] = list_templates(extensions, filter_func)
            return _session.theme_files[key]

        env.list_templates = listed
        return env

    theme.get_env = get_env


def start(command: str, dirty: bool) -> None:
    """on_startup: incremental rebuilds only under `mkdocs serve --dirty`."""
    global _session
    _session = _Session()  # a new session (the tests start several in one process)
    _session.active = command == "serve" and dirty
    per_entity.keep_parts(_session.active)  # each file's part of the rules across files, between rebuilds
    if _session.active:  # MkDocs warns about dirty builds on every rebuild; here they are exact
        logging.getLogger("mkdocs.commands.build").addFilter(_no_dirty_warning)


def _no_dirty_warning(record) -> bool:
    return "'dirty' build" not in record.getMessage()


def active() -> bool:
    return _session.active


def _stamps(config) -> dict[str, tuple]:
    """Modification times of everything but data/ that a build reads."""
    found = {}
    roots = [Path(config.config_file_path), Path(config.docs_dir), *(ROOT / folder for folder, _, _ in SOURCES)]
    for root in roots:
        paths = [root] if root.is_file() else (p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for path in paths:
            status = path.stat()
            found[str(path)] = (status.st_mtime_ns, status.st_size)
    return found


def _why_full(config) -> str | None:
    """Why this rebuild must be a full one, or None for a data edit."""
    stamps = _stamps(config)
    before, _session.stamps = _session.stamps, stamps
    if before is None:
        return "first build"
    changed = {path for path in stamps.keys() | before.keys() if stamps.get(path) != before.get(path)}
    if not changed:
        return None
    for folder, why, restart in SOURCES:
        if any(path.startswith(str(ROOT / folder) + os.sep) for path in changed):
            if restart:
                log.warning("%s", why)
            return why
    if str(Path(config.config_file_path)) in changed:
        return "mkdocs.yml changed"
    return "a page under docs/ changed"


def generate(data_dir: Path, config, written_class):
    """on_config: bring the generated files up to date; return what the hook adds to the build."""
    session = _session
    session.started = time.monotonic()
    stop_background()  # its Pagefind runs would slow this rebuild down
    keep_theme(config)
    why = _why_full(config)
    if why is not None:
        session.site.reset()
        session.cache = serve_data.Cache() if "schema" in why else session.cache
    session.cache.start()
    try:
        handbook = load_handbook(data_dir, Path(data_dir).parent, cache=session.cache)
    except DataError as error:
        if session.site.handbook is None:
            raise
        session.problems = error.report()
        session.mode, session.reason = "invalid", "invalid data"
        log.error("the handbook's data is invalid; still serving the last good build:\n%s", session.problems)
    else:
        session.problems = None
        if session.changes is None:
            session.changes = history.read(Path(data_dir).parent)
        session.update = session.site.update(handbook, config, session.changes)
        session.mode, session.reason = ("full", why) if why else ("data", "")
        if session.update.abbreviations:
            session.mode, session.reason = "full", "the glossary's abbreviations changed"
    site = session.site
    return written_class(
        site.folder,
        list(site.markdown),  # in render order, as a clean build adds them
        list(site.static),
        site.abbreviations,
        site.macro_texts,
        site.changes,
    )


def later(what: str, work) -> bool:
    """Under `make serve`, run ``work(stop)`` after this rebuild, in a background thread, so the
    page reloads first; False (nothing done) otherwise. For whole-site steps such as a search
    index built from the written site (Pagefind: about 2 s at 1x, 20 s at 10x, and it cannot
    update part of an index), which would otherwise delay every reload. The next rebuild does
    not wait for it: it sets ``stop`` (work returns early, True if it finished) and the work
    runs again after that rebuild."""
    if not _session.active:
        return False
    session = _session

    def run():
        started = time.monotonic()
        if work(session.stop):
            log.info("%s updated in the background in %.1f s", what, time.monotonic() - started)
        else:
            log.info("%s: stopped for a newer rebuild, which updates it again", what)

    settle()
    session.stop = threading.Event()
    log.info("%s: updating in the background", what)
    session.background = threading.Thread(target=run, name=f"handbook-serve: {what}", daemon=True)
    session.background.start()
    return True


def settle() -> None:
    """Wait until the background work of the last rebuild is complete (tests)."""
    if _session.background is not None:
        _session.background.join()
        _session.background = None


def stop_background() -> None:
    """A rebuild starts (or serve stops): the background work of the last one ends now, to be
    done again after it."""
    if _session.background is not None:
        _session.index_due |= _session.background.is_alive()
        _session.stop.set()
        settle()


def before_build(config) -> None:
    """on_pre_build: a full rebuild starts from an empty site folder, as a clean build does."""
    stop_background()
    if _session.mode == "full":
        clean_directory(config.site_dir)
        _session.tags = {}


def mark(files, written, config) -> None:
    """on_files: tell MkDocs' dirty build which files to build again."""
    session = _session
    session.files = files
    for file in files:
        if file.generated_by is not None and file.src_uri in written.pages:
            session.outputs[file.src_uri] = file.abs_dest_path
    if session.mode == "full":
        return
    update = session.update
    for file in files:
        if session.mode == "invalid":
            modified = False
        elif file.generated_by is not None:
            modified = file.src_uri in update.pages or file.src_uri in update.static
        elif file.is_documentation_page():
            modified = (update.tags and _lists_tags(file)) or _macros_changed(file, update.macros_before)
        else:
            modified = False
        file.is_modified = (lambda value: lambda: value)(modified)
    for src_uri in update.removed:
        _remove(session.outputs.pop(src_uri, None))
    for path in update.removed_static:
        _remove(os.path.join(config.site_dir, llms_txt.copy_destination(path) or path))


def _remove(path: str | None) -> None:
    """Delete a file that a clean build would not write, and the folders it leaves empty."""
    if path is None or not os.path.isfile(path):
        return
    os.remove(path)
    folder = os.path.dirname(path)
    while folder and not os.listdir(folder):
        os.rmdir(folder)
        folder = os.path.dirname(folder)


def _text_of(file) -> str:
    try:
        return Path(file.abs_src_path).read_text(encoding="utf-8")
    except (OSError, TypeError):
        return ""


def _lists_tags(file) -> bool:
    return "material/tags" in _text_of(file)


def _macros_changed(file, before: dict | None) -> bool:
    """Whether a hand-written page's macros now return something else (it is rendered both ways)."""
    text = _text_of(file)
    if before is None or not site_files.uses_macros(text):
        return False
    after = _session.site.macro_texts
    return site_files.expand_macros(text, page_macros.from_texts(before)) != site_files.expand_macros(text, page_macros.from_texts(after))


# -- the tags of the pages a dirty build does not build --------------------------------
def merge_tags(config) -> None:
    """on_env, before the tags plugin renders its listing: every page's tags, in page order."""
    plugin = config.plugins.get("material/tags") or config.plugins.get("tags")
    if not _session.active or plugin is None or plugin.mappings is None:
        return
    built = plugin.mappings.data
    merged = {}
    for file in _session.files.documentation_pages():
        # Only hand-written pages can list tags: data text cannot hold the listing's marker (safe_markdown).
        if file.generated_by is None and file.page is not None and file.page.content is None and _lists_tags(file):
            # The tags page is not built again, but the tag links on the pages that are point
            # into its listing: the listing is made, and rendered into nothing.
            plugin.listings.add(file.page, _text_of(file))
            file.page.content = ""
        mapping = built.get(file.url) or (_session.tags.get(file.url) if _session.mode != "full" else None)
        if mapping is not None:
            merged[file.url] = mapping
    plugin.mappings.data = _session.tags = merged


def index_due() -> bool:
    """Whether the search index is to be made again after this rebuild: it wrote a page, or
    an earlier index was stopped before it finished."""
    update, due = _session.update, _session.index_due
    _session.index_due = False
    return due or _session.mode == "full" or (_session.mode == "data" and bool(update.pages or update.removed))


def report() -> None:
    """on_post_build, last: one line on what this rebuild did."""
    session = _session
    if not session.active:
        return
    seconds = time.monotonic() - session.started
    if session.mode == "invalid":
        log.warning("invalid data: nothing rebuilt, pages show the problems until the next valid save (%.1f s)", seconds)
    elif session.mode == "full":
        log.info("%s: full rebuild in %.1f s", session.reason, seconds)
    else:
        update = session.update
        count = len(update.pages) + len(update.removed)
        log.info("data edit: %d page%s updated in %.1f s", count, "" if count == 1 else "s", seconds)
    session.files = None  # this build's pages: not kept past it
    _keep_long_lived()


def _keep_long_lived() -> None:
    """After the first build, once per process: what lives on (the parsed data, the rendered
    Markdown, the theme) is left out of every later garbage collection. Python otherwise walks
    all of it in the full collections a rebuild triggers (about 0.3 s a save at 10x)."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.collect()
        gc.freeze()


def add_banner(server) -> None:
    """on_serve: pages are served with the data's problems on top while there are any."""
    inject = server._inject_js_into_html

    def with_banner(content: bytes, epoch):
        content = inject(content, epoch)
        if _session.problems is None:
            return content
        banner = BANNER.format(report=html.escape(_session.problems)).encode("utf-8")
        at = content.find(b"<body")
        at = content.find(b">", at) + 1 if at >= 0 else 0
        return content[:at] + banner + content[at:]

    server._inject_js_into_html = with_banner
