#!/usr/bin/env python3
"""Generate the site's Markdown from seeds/ and annotations/ into docs/.

    python build_docs.py            # validate, then write docs/ (only changed files)
    python build_docs.py --check    # validate everything, write nothing
    python build_docs.py --quiet    # print problems and the summary only
    python build_docs.py --jobs 1   # one process (default: one per CPU, for sites of 8+ reports)
    python build_docs.py import FILE.pdf [--name NAME]   # a PDF report → seeds/NAME.txt + .yml

Exit status: 0 when all is well (warnings allowed), 1 when any input is wrong; then docs/ is left
exactly as it was."""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

from report_reader import cache, stored
from report_reader.inputs import docs_problem
from report_reader.parallel import default_jobs
from report_reader.write import BuildLock, UnsafeWrite

# The pipeline (jieba, pypinyin, Jinja2 ...) is imported only once the cache says there is work to do.


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["import"]:
        from report_reader import pdf_import
        return pdf_import.main(argv[1:], Path(__file__).resolve().parent)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent, help="project folder")
    parser.add_argument("--check", action="store_true", help="validate seeds and annotations; write nothing")
    parser.add_argument("--quiet", action="store_true", help="do not list removed page furniture")
    parser.add_argument("--jobs", type=int, default=default_jobs(), metavar="N",
                        help="processes for a large site (default: the CPUs available; small sites use one)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    docs = args.root / "docs"
    if not args.check:
        unwritable = docs_problem(docs, args.root)
        if unwritable:
            print(unwritable, file=sys.stderr)
            return 1
    inputs = cache.input_hashes(args.root)  # before the build reads them: an edit made meanwhile counts
    manifest = cache.load(args.root)
    try:
        if args.check:
            if cache.unchanged(manifest, inputs, None):
                outcome = manifest["outcome"]
                return show(outcome, args, check_passed(len(outcome["reports"]), outcome["glossary"]))
            return run(args, docs, inputs, started)
        with BuildLock(docs):
            if cache.unchanged(manifest, inputs, docs):
                return show(manifest["outcome"], args, f"docs/: 0 written, {len(manifest['outputs'])} unchanged, "
                            f"0 removed — nothing to do: inputs and pages as the last build left them "
                            f"({cache.FOLDER}/{cache.MANIFEST}), nothing rendered, in {time.perf_counter() - started:.2f} s")
            return run(args, docs, inputs, started)
    except UnsafeWrite as exc:
        print(exc, file=sys.stderr)
        return 1


def run(args: argparse.Namespace, docs: Path, inputs: dict[str, str], started: float) -> int:
    """The build proper; a good one that wrote docs/ is recorded in the cache's manifest."""
    from report_reader.pipeline import build
    from report_reader.layout.urls import ROOT

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
    from report_reader.sources import tally_line

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


if __name__ == "__main__":
    sys.exit(main())
