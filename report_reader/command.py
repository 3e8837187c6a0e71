"""What a build run from the command line does besides the pipeline: it records a good build in the
cache's manifest, and tells its user what it found, the same way whether it built or found nothing
to do. Light to import: the pipeline (pypinyin, Jinja2 ...) is imported only by `run`."""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

from . import cache, stored


def run(args: argparse.Namespace, docs: Path, inputs: dict[str, str], started: float) -> int:
    """The build proper; a good one that wrote docs/ is recorded in the cache's manifest."""
    from .pipeline import build
    from .layout.urls import ROOT

    # A build is a batch whose data holds no reference cycles worth collecting; the cycle collector's
    # passes over hundreds of thousands of occurrences cost a large build a sixth of its time.
    gc.disable()
    begun_ns = stored.now(args.root / cache.FOLDER)
    try:
        result = build(args.root, args.jobs, docs=docs, render=not args.check, locked=True)
    except OSError as exc:  # the disk, not the input: full, read-only, or removed under the build
        print(f"{exc.filename or 'docs/'}: error: cannot write ({exc.strerror}) — "
              f"check the folder's permissions and free space, then build again; docs/ was left as it was",
              file=sys.stderr)
        return 1
    outcome = summary(result)
    if result.errors:
        show(outcome, args, "")
        print(f"{len(result.errors)} error(s); nothing was written.", file=sys.stderr)
        return 1
    if args.check:
        return show(outcome, args, check_passed(len(result.reports), len(result.site.terms)))
    written = result.written
    # Every input's stored entry was read or written by this build; the others are of old versions.
    stored.prune(args.root / cache.FOLDER, begun_ns)
    try:
        cache.save(args.root, docs, ROOT, written.outside, inputs, outcome)
    except OSError as exc:  # docs/ is written and right; only the next build's shortcut is lost
        outcome["problems"].append(f"{cache.FOLDER}/{cache.MANIFEST}: warning: cannot record this build "
                                   f"({exc.strerror or exc}) — remove {cache.FOLDER}/ or make it writable; "
                                   "until then every build runs in full")
    return show(outcome, args, f"docs/: {len(written.written)} written, {written.unchanged} unchanged, "
                               f"{len(written.deleted)} removed in {time.perf_counter() - started:.2f} s")


def summary(result) -> dict:
    """What a build tells its user, as plain data: printed now, and again by a build with nothing to do."""
    from .sources import tally_line

    reports = []
    if not result.errors:
        for report in result.reports:
            reports.append({
                "line": f"{report.source.path}: {len(report.sections)} sections, "
                        f"{sum(len(s.paragraphs) for s in report.sections)} paragraphs, "
                        f"{sum(result.site.term_counts[report.id].values())} term occurrences, "
                        f"{len(result.site.anchors[report.id])} notes; "
                        f"removed {len(report.source.removed)} furniture line(s)",
                "removed": [f"  - line {r.line} [{r.rule}] {r.text[:60]}" for r in report.source.removed]})
    return {"problems": [str(p) for p in result.problems], "tally": tally_line(result.citations),
            "reports": reports, "glossary": len(result.site.terms) if result.site else 0}


def check_passed(reports: int, entries: int) -> str:
    return f"check passed: {reports} report(s), {entries} glossary entries; nothing written."


def show(outcome: dict, args: argparse.Namespace, last: str) -> int:
    for problem in outcome["problems"]:
        print(problem, file=sys.stderr)
    print(outcome["tally"])
    for report in outcome["reports"]:
        print(report["line"])
        if not args.quiet:
            for line in report["removed"]:
                print(line)
    if last:
        print(last)
    return 0
