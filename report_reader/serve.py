"""The contributor's preview: `make serve` (python -m report_reader.serve --port N).

Generates docs/, starts `mkdocs serve --dirty` on it, and regenerates whenever a file under seeds/
or annotations/ changes. Regeneration rewrites only pages whose bytes change (write.Publication), so
MkDocs' own watcher sees just those and re-renders only them (dirty mode: a page whose file is older
than its HTML is skipped); hooks/preview_pagefind.py indexes the served site after each build. When the
navigation, which every page carries, changes, every page is touched so that all are rendered
again. A broken file does not stop the preview: its problems are printed here and written to
docs/.build-problems.json, which the hook hooks/build_problems.py shows as a banner on every page
until the file is fixed."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from .pipeline import build, read_site_url
from .write import UnsafeWrite

PROBLEMS = ".build-problems.json"  # in docs/: a dot file, so MkDocs watches it but never publishes it
NAV = "reports/.nav.yml"  # in docs/: the generated navigation (mkdocs.yml inherits it)


def regenerate(root: Path, jobs: int = 1) -> list[str]:
    """One generation into docs/; the problems it found (errors and warnings), as printed. If it
    changed the navigation, every page is marked changed, so the dirty preview renders them all."""
    docs = root / "docs"
    before = _nav(docs)
    started = time.perf_counter()
    try:
        result = build(root, jobs, docs=docs)
    except (UnsafeWrite, OSError) as exc:
        messages, errors = [str(exc)], 1
    else:
        messages, errors = [str(p) for p in result.problems], len(result.errors)
    for line in messages:
        print(line, file=sys.stderr, flush=True)
    marker = docs / PROBLEMS
    if errors:
        marker.write_text(json.dumps({"problems": messages}, ensure_ascii=False), encoding="utf-8")
        print(f"{errors} error(s): the preview shows the last good pages under a banner", file=sys.stderr, flush=True)
    else:
        marker.unlink(missing_ok=True)
        print(f"regenerated in {time.perf_counter() - started:.2f} s", flush=True)
    if _nav(docs) != before:
        _touch_pages(docs)
    return messages


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
    from watchfiles import watch  # only the preview needs it

    regenerate(root, args.jobs)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # --no-strict: a dirty build warns that it is dirty, and strict would turn that into a failure.
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dirty", "--no-strict",
                               "--dev-addr", f"127.0.0.1:{args.port}"], cwd=root, env=env)
    print(f"Preview: http://127.0.0.1:{args.port}{_mount_path(root)} (Ctrl-C to stop)", flush=True)
    try:
        for changes in watch(root / "seeds", root / "annotations", debounce=200, step=50,
                             stop_event=None, raise_interrupt=False):
            print(f"changed: {', '.join(sorted(os.path.relpath(p, root) for _, p in changes))}", flush=True)
            regenerate(root, args.jobs)
            if server.poll() is not None:
                return server.returncode or 1
    finally:
        server.terminate()
        server.wait()
    return 0


def _mount_path(root: Path) -> str:
    """MkDocs serves under the path of site_url (/report-reader/), not at /."""
    from urllib.parse import urlsplit
    return urlsplit(read_site_url(root)).path or "/"


if __name__ == "__main__":
    sys.exit(main())
