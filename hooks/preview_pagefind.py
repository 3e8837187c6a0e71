"""Preview only (`mkdocs serve`, as report_reader/serve.py runs it): index the served site with
Pagefind after each build, so the header's search works in the preview too. The published site
gets its index from a step of its own (`make site` runs Pagefind after `mkdocs build`); this hook
does nothing in a build.

Pagefind runs beside the server, not in the build: the page reloads as soon as MkDocs has written
it, and the index follows a second or two later. A run still going when the next build ends is
stopped and started again on the newer pages. A build that rendered no page (the preview's dirty
build after an edit that changed no page, or left a file broken) leaves the index as it is."""

import logging
import subprocess
import sys

log = logging.getLogger("mkdocs.hooks.preview_pagefind")
_serving = False
_indexer: subprocess.Popen | None = None
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
    global _indexer
    if not _serving or not _rendered:
        return
    if _indexer is not None and _indexer.poll() is None:
        _indexer.terminate()
        _indexer.wait()
    try:
        _indexer = subprocess.Popen([sys.executable, "-m", "pagefind", "--site", config["site_dir"],
                                     "--output-subdir", "pagefind", "--silent"], stdin=subprocess.DEVNULL)
    except OSError as exc:
        log.warning("Pagefind did not start (%s): the preview has no search", exc)


def on_shutdown():
    if _indexer is not None and _indexer.poll() is None:
        _indexer.terminate()
        _indexer.wait()
