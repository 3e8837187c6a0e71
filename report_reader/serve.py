"""The contributor's preview: `make serve` (python -m report_reader.serve --port N).

Generates docs/, starts `mkdocs serve` on it, and regenerates whenever a file under seeds/ or
annotations/ changes. Regeneration rewrites only pages whose bytes change (write.Publication), so
MkDocs' own watcher sees just those, rebuilds, and the browser reloads. A broken file does not stop
the preview: its problems are printed here and written to docs/.build-problems.json, which the
hook hooks/build_problems.py shows as a banner on every page until the file is fixed."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from .pipeline import build
from .write import UnsafeWrite

PROBLEMS = ".build-problems.json"  # in docs/: a dot file, so MkDocs watches it but never publishes it


def regenerate(root: Path, jobs: int = 1) -> list[str]:
    """One generation into docs/; the problems it found (errors and warnings), as printed."""
    docs = root / "docs"
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
    return messages


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
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload",
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
    for line in (root / "mkdocs.yml").read_text(encoding="utf-8").splitlines():
        if line.startswith("site_url:"):
            return urlsplit(line.split(":", 1)[1].strip()).path or "/"
    return "/"


if __name__ == "__main__":
    sys.exit(main())
