#!/usr/bin/env python3
"""The preview's latency: from saving a file to the served page showing the change.

    python bench/preview.py                 # the seed + 30 reports, 3 rounds (about 3 minutes)
    python bench/preview.py --reports 5 --rounds 1

Starts `python -m report_reader.serve` (what `make serve` runs) on a bench project under bench/out/,
then, each round: edits a term's definition, edits a seed paragraph, breaks a term file, fixes it;
each time waits as a browser on the served section page does (MkDocs' reload script asks the server
for the site's version, an answer that comes when a build has finished; then the page is fetched
again) until the page shows the change. With --poll, the page is fetched every 20 ms instead: a load
of some 50 requests a second on the preview's process while it regenerates. Prints each latency with
the preview's own split (generation, then MkDocs' rebuild) and the yardstick before each round.
Figures are measurements, not tests."""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ENV, OUT, SOURCES, discard, empty_trash, make_project, python_loop  # noqa: E402

SECTION = "reports/jinan-tianqiao-2024/s3/"
TERM = "annotations/terms/chai-wei-kong-wei.yml"
SEED = "seeds/jinan-tianqiao-2024.txt"
BANNER = "rr-build-problems"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def _until(url: str, predicate, limit: float = 300) -> float:
    """Seconds until the page satisfies predicate (polled every 20 ms)."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if predicate(_fetch(url)):
            return time.perf_counter() - started
        time.sleep(0.02)
    sys.exit(f"{url}: the change never showed in {limit:.0f} s")


_RELOAD = re.compile(r"livereload\((\d+), (\d+)\)")  # MkDocs' reload script: the page's build, a request id


def _after(change, url: str, shows) -> float:
    """Seconds from `change` until the page shows it, fetched each time the server says a newer build
    is served, as MkDocs' reload script has a browser do (the page's build is read before the change)."""
    origin = url[:url.index("/", len("http://"))]
    epoch, request = map(int, _RELOAD.search(_fetch(url)).groups())
    started = time.perf_counter()
    change()
    while time.perf_counter() - started < 300:
        newer = _fetch(f"{origin}/livereload/{epoch}/{request}")  # answered when a newer build is served
        if newer and int(newer) > epoch:
            epoch = int(newer)
            if shows(_fetch(url)):
                return time.perf_counter() - started
    sys.exit(f"{url}: the change never showed in 300 s")


class Log:
    """The preview's output, read as it comes: its own timings of each rebuild."""

    def __init__(self, stream):
        self.lines: list[str] = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.append(line)

    def mark(self) -> int:
        return len(self.lines)

    def since(self, mark: int) -> str:
        time.sleep(1)  # MkDocs logs its time just after writing the page
        text = "".join(self.lines[mark:])
        gen = re.findall(r"regenerated in ([\d.]+) s", text)
        docs = re.findall(r"Documentation built in ([\d.]+) seconds", text)
        return f"generation {', '.join(gen) or '–'} s; MkDocs {', '.join(docs) or '–'} s"


def edits(project: Path, round_no: int, term_file: str = TERM):
    """(what, change the file, what the page shows once it is served)."""
    term, seed = project / term_file, project / SEED
    original = term.read_text(encoding="utf-8")
    short = next(line for line in original.splitlines() if line.startswith("short:"))
    marker = f"延迟测试{round_no}"
    words = seed.read_text(encoding="utf-8")
    old, new = ("营造良好环境", "营造优良环境") if round_no % 2 else ("营造优良环境", "营造良好环境")  # a paragraph of s3
    yield ("term definition edited", lambda: term.write_text(original.replace(short, f"short: {marker}"), encoding="utf-8"),
           lambda body: marker in body)
    yield ("seed paragraph edited", lambda: seed.write_text(words.replace(old, new, 1), encoding="utf-8"),
           lambda body: new in body and BANNER not in body)
    yield ("term file broken (banner shown)", lambda: term.write_text(original.replace(short, "short: [unclosed"), encoding="utf-8"),
           lambda body: BANNER in body)
    yield ("term file fixed (banner gone)", lambda: term.write_text(original, encoding="utf-8"),
           lambda body: BANNER not in body and marker not in body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=31, help="reports in the project (31: the seed + 30)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, help="the preview's processes (default: as `make serve`)")
    parser.add_argument("--term", default=TERM, help=f"the term file edited (used on {SECTION}; default {TERM}, "
                        "in 7 of 31 reports; annotations/terms/an-quan-sheng-chan.yml is in all 31)")
    parser.add_argument("--poll", action="store_true", help="fetch the page every 20 ms, not when the server says it changed")
    args = parser.parse_args(argv)
    texts = [p.read_text(encoding="utf-8") for p in SOURCES]
    project = OUT / "preview"
    info = make_project(project, args.reports, 0, texts)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/report-reader/{SECTION}"
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    server = subprocess.Popen([sys.executable, "-m", "report_reader.serve", "--root", str(project), "--port", str(port), *jobs],
                              cwd=project, env={**ENV, "PYTHONPATH": str(project)}, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    log = Log(server.stdout)
    rows = []
    try:
        first = _until(url, lambda body: "前清后增" in body, limit=900)
        print(f"{info['reports']} reports, {info['terms']} terms: first page served {first:.1f} s "
              f"after start", file=sys.stderr, flush=True)
        time.sleep(2)
        for round_no in range(1, args.rounds + 1):
            rows.append(("yardstick (a Python loop of 20 million additions)", f"{python_loop():.2f} s", ""))
            for what, change, shows in edits(project, round_no, args.term):
                mark = log.mark()
                if args.poll:
                    change()
                    took = _until(url, shows)
                else:
                    took = _after(change, url, shows)
                rows.append((what, f"{took:.2f} s", log.since(mark)))
                print(f"  {rows[-1][0]}: {rows[-1][1]} ({rows[-1][2]})", file=sys.stderr, flush=True)
                time.sleep(1)
    finally:
        server.terminate()
        server.wait(timeout=60)
        discard(project)
        empty_trash()
    print(f"`python bench/preview.py --reports {args.reports} --term {args.term}` — {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f} at the end; save to page served\n")
    print("| change | page shows it after | the preview's log |\n| --- | --- | --- |")
    for what, took, split in rows:
        print(f"| {what} | {took} | {split} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
