"""The contributor's preview: `make serve` (python -m report_reader.serve --port N).

Generates docs/, serves it with MkDocs in this process (preview_server.py: `mkdocs serve --dirty`
without its file poll), and regenerates whenever a file under seeds/ or annotations/ changes, then
has MkDocs build at once. Regeneration renders only the reports an edit touches (rendered.py) and
rewrites only pages whose bytes change (write.Publication); a dirty build renders only pages whose
file is newer than their HTML, and hooks/preview_pagefind.py indexes the served site after each build.
When the navigation, which every page carries, changes, every page is touched so that all are
rendered again. A broken file does not stop the preview: its problems are printed here and shown
as a banner on every served page until the file is fixed."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path

from .annotations import to_pinyin
from .pipeline import build
from .rendered import RenderedReports
from .write import UnsafeWrite

NAV = "reports/.nav.yml"  # in docs/: the generated navigation (mkdocs.yml inherits it)


def regenerate(root: Path, jobs: int = 1, memory: RenderedReports | None = None) -> list[str]:
    """One generation into docs/; when it failed, the problems it found (errors and warnings), as
    printed, else none. If it changed the navigation, every page is marked changed, so the dirty
    preview renders them all. `memory`: the reports' pages of earlier generations, reused where
    their inputs are the same."""
    docs = root / "docs"
    before = _nav(docs)
    started = time.perf_counter()
    try:
        result = build(root, jobs, docs=docs, memory=memory)
    except (UnsafeWrite, OSError) as exc:
        messages, errors = [str(exc)], 1
    else:
        messages, errors = [str(p) for p in result.problems], len(result.errors)
    for line in messages:
        print(line, file=sys.stderr, flush=True)
    if errors:
        print(f"{errors} error(s): the preview shows the last good pages under a banner", file=sys.stderr, flush=True)
        return messages
    reused = f"; {memory.rendered} report(s) rendered, {memory.reused} unchanged" if memory else ""
    print(f"regenerated in {time.perf_counter() - started:.2f} s{reused}", flush=True)
    if _nav(docs) != before:
        _touch_pages(docs)
    return []


def _nav(docs: Path) -> bytes | None:
    return (docs / NAV).read_bytes() if (docs / NAV).exists() else None


def _touch_pages(docs: Path) -> None:
    """Newer than any page MkDocs has rendered, so its next (dirty) build renders every page."""
    now = time.time()
    for page in docs.rglob("*.md"):
        os.utime(page, (now, now))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Preview the site, regenerating it as seeds and annotations change")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--jobs", type=int, default=1, metavar="N")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    taken = _port_taken(args.port)
    if taken:
        print(f"127.0.0.1:{args.port}: error: cannot serve there ({taken}) — stop what uses it, or choose "
              f"another port: make serve PORT={args.port + 1}", file=sys.stderr)
        return 1
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from .preview_server import PreviewServer, log_to_terminal  # only the preview needs MkDocs here

    log_to_terminal()
    signal.signal(signal.SIGTERM, _interrupt)  # stopped like Ctrl-C: MkDocs' temporary site is removed
    lock = threading.Lock()  # docs/ is written by one regeneration or read by one build at a time
    memory = RenderedReports()
    problems = regenerate(root, args.jobs, memory)
    # pypinyin's dictionaries load on first use (0.2 s): now, rather than at the first edit of a term
    # whose pinyin the store does not hold.
    to_pinyin("预览")
    server = PreviewServer(root, args.port, lock, lambda: server.show(regenerate(root, args.jobs, memory)))
    server.show(problems)
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(root, args.jobs, memory, server, lock, stop), daemon=True)
    watcher.start()
    print(f"Preview: {server.url} (Ctrl-C to stop)", flush=True)
    try:
        server.serve()
    finally:
        stop.set()
    return 0


def _port_taken(port: int) -> str:
    """Why MkDocs could not listen on the port, found before the first build rather than after it."""
    import socket
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as MkDocs' server binds
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            return exc.strerror or str(exc)
    return ""


def _interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt


def _watch(root: Path, jobs: int, memory: RenderedReports, server, lock: threading.Lock,
           stop: threading.Event) -> None:
    """Seeds and annotations are regenerated from; a hand-written file of docs/ or overrides/ only
    needs MkDocs to build again (of every page for a template of overrides/). mkdocs.yml is MkDocs'
    own to watch (see preview_server)."""
    from watchfiles import DefaultFilter, watch  # only the preview needs it

    docs = root / "docs"
    generated = {"reports", "index.md"}
    usual = DefaultFilter()  # editors' swap and backup files, caches

    def wanted(change, path: str) -> bool:
        """Inside docs/, what the build writes is not a change to act on, nor a dot file (MkDocs
        publishes none: the new trees of a build in progress)."""
        p = Path(path)
        if docs not in p.parents:
            return usual(change, path)
        parts = p.relative_to(docs).parts
        return usual(change, path) and parts[0] not in generated and not any(x.startswith(".") for x in parts)
    sources = (root / "seeds", root / "annotations")
    theme = root / "overrides"  # templates every page is rendered with
    watched = [p for p in (*sources, docs, theme) if p.exists()]
    for changes in watch(*watched, watch_filter=wanted, debounce=200, step=50,
                         stop_event=stop, raise_interrupt=False):
        paths = sorted(os.path.relpath(p, root) for _, p in changes)
        print(f"changed: {', '.join(paths)}", flush=True)
        if any(Path(p) == s or s in Path(p).parents for _, p in changes for s in sources):
            with lock:
                server.show(regenerate(root, jobs, memory))
        server.rebuild(everything=any(theme in Path(p).parents for _, p in changes))


if __name__ == "__main__":
    sys.exit(main())
