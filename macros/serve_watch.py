"""`make serve` notices a save within a tenth of a second, not MkDocs' fixed half second.

MkDocs' live-reload server polls the watched folders every 0.5 s and offers no setting for
it; on average that is a quarter of a second added to every reload, a quarter of the one
second a data edit may take. In on_serve the server gets a polling observer of its own kind
with a 0.1 s interval, and the paths MkDocs watched so far move to it (the `watch:` list of
mkdocs.yml, data/ among them, is added after on_serve, so it lands there directly). Polling
stays: it works on every file system MkDocs supports, and data/ is a few thousand files at 10×.
"""

from __future__ import annotations

from watchdog.observers.polling import PollingObserver

INTERVAL = 0.1  # seconds between two looks at the watched files


def poll_often(server, config) -> None:
    """on_serve: the same watched paths, looked at every INTERVAL seconds."""
    moved = []
    for path in (config.docs_dir, config.config_file_path, *config.theme.dirs):
        try:
            server.unwatch(path)
        except KeyError:  # not watched (the theme's folders are only with --watch-theme)
            continue
        moved.append(path)
    server.observer = PollingObserver(timeout=INTERVAL)
    for path in moved:
        server.watch(path)
