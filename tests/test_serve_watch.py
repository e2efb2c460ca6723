"""`make serve` looks for saved files every 0.1 s and still watches everything MkDocs watched."""

from __future__ import annotations

from types import SimpleNamespace

from mkdocs.livereload import LiveReloadServer

from macros import serve_watch


def test_the_watched_paths_move_to_a_faster_observer(tmp_path):
    docs, theme, config_file = tmp_path / "docs", tmp_path / "overrides", tmp_path / "mkdocs.yml"
    docs.mkdir(), theme.mkdir(), config_file.write_text("site_name: t\n")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(docs))
    server.watch(str(config_file))  # the theme folder is not watched without --watch-theme
    before = server.observer
    paths_before = {emitter.watch.path for emitter in before.emitters}
    config = SimpleNamespace(docs_dir=str(docs), config_file_path=str(config_file), theme=SimpleNamespace(dirs=[str(theme)]))

    serve_watch.poll_often(server, config)
    server.watch(str(tmp_path / "data"))  # mkdocs.yml's `watch:` list comes after on_serve

    assert server.observer is not before and before.emitters == set()
    assert server.observer.timeout == serve_watch.INTERVAL < 0.5
    watched = {emitter.watch.path for emitter in server.observer.emitters}
    assert str(docs) in paths_before and watched == paths_before | {str(tmp_path / "data")}
