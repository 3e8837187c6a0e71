#!/usr/bin/env python3
"""Lighthouse (mobile form factor, simulated throttling) on pages of a built site: accessibility and
performance, several runs each, printed as median and range.

    make site && python bench/lighthouse.py reports/yunnan-2026/s3/ reports/yunnan-2026/glossary/ ''
    python bench/lighthouse.py --runs 7 --plain PAGE...   # uncompressed, as python -m http.server serves

A PAGE is a path under site_url. The site is served under site_url's path (/report-reader/), with
text compressed by gzip as GitHub Pages serves it (--plain: not compressed). Pages are run in turn,
so a change in the machine's load falls on all of them alike. Needs Lighthouse from npm
(LIGHTHOUSE, default /tmp/lh/node_modules/.bin/lighthouse) and Debian's chromium. Scores are
measurements for bench/README.md, never tests."""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from report_reader.pipeline import mkdocs_setting  # noqa: E402

LIGHTHOUSE = os.environ.get("LIGHTHOUSE", "/tmp/lh/node_modules/.bin/lighthouse")
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")
METRICS = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift"]


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under the mount path; compresses text when the browser accepts gzip."""
    mount = "/"
    compress = True

    def log_message(self, *args):
        pass

    def translate_path(self, path):
        path = urlsplit(path).path
        if not path.startswith(self.mount):
            return str(Path(self.directory) / "missing-outside-the-mount")
        return super().translate_path("/" + path[len(self.mount):])

    def do_GET(self):
        file = Path(self.translate_path(self.path))
        if file.is_dir():
            file = file / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.compress and wants_gzip and file.suffix in COMPRESSED and file.is_file()):
            return super().do_GET()
        if file.name == "index.html" and not urlsplit(self.path).path.endswith(("/", ".html")):
            return super().do_GET()  # the redirect to the address with a slash
        body = gzip.compress(file.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(file)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def lighthouse(url: str, out: Path) -> dict:
    subprocess.run([LIGHTHOUSE, url, "--only-categories=accessibility,performance", "--output=json",
                    f"--output-path={out}", "--quiet", '--chrome-flags=--headless=new --no-sandbox'],
                   check=True, env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")})
    report = json.loads(out.read_text(encoding="utf-8"))
    scores = {name: report["categories"][name]["score"] for name in ("accessibility", "performance")}
    scores.update({name: report["audits"][name]["numericValue"] for name in METRICS})
    # Lighthouse's yardstick of the machine's speed during the run: under load it falls, and the
    # blocking time (observed tasks times a fixed slowdown) rises.
    scores["benchmark"] = report["environment"]["benchmarkIndex"]
    audits = (report["audits"][ref["id"]] for ref in report["categories"]["accessibility"]["auditRefs"])
    scores["failing"] = sorted(a["id"] for a in audits if a["scoreDisplayMode"] == "binary" and a["score"] == 0)
    return scores


def spread(values: list[float], digits: int) -> str:
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", metavar="PAGE", help="a path under site_url; '' is the home page")
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (mkdocs build)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--plain", action="store_true", help="serve uncompressed")
    args = parser.parse_args(argv)
    if not Path(LIGHTHOUSE).exists():
        print(f"{LIGHTHOUSE}: error: Lighthouse not found — npm install --prefix /tmp/lh lighthouse, "
              f"or set LIGHTHOUSE", file=sys.stderr)
        return 1
    mount = urlsplit(mkdocs_setting(ROOT, "site_url")).path or "/"
    handler = functools.partial(type("Handler", (SiteHandler,), {"mount": mount, "compress": not args.plain}),
                                directory=str(args.site.resolve()))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}{mount}"
    results: dict[str, list[dict]] = {page: [] for page in args.pages}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            for i, page in enumerate(args.pages):
                results[page].append(lighthouse(base + page, Path(tmp) / f"{i}-{run}.json"))
                print(f"run {run + 1}/{args.runs} {page or '(home)'}: {results[page][-1]}", file=sys.stderr, flush=True)
    server.shutdown()
    print(f"| page ({args.runs} runs, {'uncompressed' if args.plain else 'gzip'}) | accessibility | performance "
          f"| FCP s | LCP s | TBT ms | CLS | benchmarkIndex |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    notes = []
    for page, runs in results.items():
        column = lambda key: [r[key] for r in runs]  # noqa: E731
        print(f"| {page or '(home)'} | {spread(column('accessibility'), 2)} | {spread(column('performance'), 2)} "
              f"| {spread([v / 1000 for v in column('first-contentful-paint')], 1)} "
              f"| {spread([v / 1000 for v in column('largest-contentful-paint')], 1)} "
              f"| {spread(column('total-blocking-time'), 0)} | {spread(column('cumulative-layout-shift'), 3)} "
              f"| {spread(column('benchmark'), 0)} |")
        failing = sorted({a for r in runs for a in r["failing"]})
        if failing:
            notes.append(f"{page or '(home)'}: accessibility audits failing in some run: {', '.join(failing)}")
    print("\n".join(notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
