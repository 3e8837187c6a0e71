"""Preview only (`mkdocs serve`, as report_reader/serve.py runs it): index the served site with
Pagefind after each build, so the header's search works in the preview too. The published site
gets its index from a step of its own (`make site` runs Pagefind after `mkdocs build`); this hook
does nothing in a build.

Pagefind runs beside the server, not in the build: the page reloads as soon as MkDocs has written
it, and the index follows a few seconds later. A run still going when the next build ends is stopped
and started again on the newer pages. A build that rendered no page (the preview's dirty
build after an edit that changed no page, or left a file broken) leaves the index as it is."""

import logging
import subprocess
import sys
import threading

log = logging.getLogger("mkdocs.hooks.preview_pagefind")
_serving = False
_indexer: subprocess.Popen | None = None
_pending: threading.Timer | None = None
_lock = threading.Lock()
AFTER = 1.5  # s after the last build
_rendered = 0  # pages rendered by the build under way


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


def on_pre_build(config):
    global _rendered
    _rendered = 0


def on_post_page(output, page, config):
    global _rendered
    _rendered += 1
    return output


def on_post_build(config):
    """Pagefind a moment after the build, not at once: the preview may be rendering the rest of an
    edit's pages (report_reader/preview_server.py renders the pages being read first), and the
    browsers are reloading. Another build ending meanwhile puts it off again."""
    global _pending
    if not _serving or not _rendered:
        return
    with _lock:
        if _pending is not None:
            _pending.cancel()
        _pending = threading.Timer(AFTER, _index, args=(config["site_dir"],))
        _pending.daemon = True
        _pending.start()


def _index(site_dir: str) -> None:
    global _indexer
    with _lock:
        if _indexer is not None and _indexer.poll() is None:
            _indexer.terminate()
            _indexer.wait()
        try:
            _indexer = subprocess.Popen([sys.executable, "-m", "pagefind", "--site", site_dir,
                                         "--output-subdir", "pagefind", "--silent"], stdin=subprocess.DEVNULL)
        except OSError as exc:
            log.warning("Pagefind did not start (%s): the preview has no search", exc)


def on_shutdown():
    with _lock:
        if _pending is not None:
            _pending.cancel()
        if _indexer is not None and _indexer.poll() is None:
            _indexer.terminate()
            _indexer.wait()
