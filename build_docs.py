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

from report_reader import pdf_import
from report_reader.inputs import docs_problem
from report_reader.parallel import default_jobs
from report_reader.pipeline import build
from report_reader.sources import tally_line
from report_reader.write import UnsafeWrite


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["import"]:
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
    # A build is a batch whose data holds no reference cycles worth collecting; the cycle collector's
    # passes over hundreds of thousands of occurrences cost a large build a sixth of its time.
    gc.disable()
    try:
        result = build(args.root, args.jobs, docs=docs, render=not args.check)
    except UnsafeWrite as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:  # the disk, not the input: full, read-only, or removed under the build
        print(f"{exc.filename or 'docs/'}: error: cannot write ({exc.strerror}) — "
              f"check the folder's permissions and free space, then build again; docs/ was left as it was",
              file=sys.stderr)
        return 1
    except OSError as exc:  # a disk that fills up or a folder made read-only while the build ran
        where = Path(exc.filename) if exc.filename else docs
        shown = where.relative_to(args.root).as_posix() if where.is_relative_to(args.root) else str(where)
        print(f"{shown}: error: cannot write — {exc.strerror or exc} — free space or make docs/ writable, then "
              "build again", file=sys.stderr)
        return 1
    for problem in result.problems:
        print(problem, file=sys.stderr)
    print(tally_line(result.citations))
    if result.errors:
        print(f"{len(result.errors)} error(s); nothing was written.", file=sys.stderr)
        return 1
    for report in result.reports:
        removed = report.source.removed
        print(f"{report.source.path}: {len(report.sections)} sections, "
              f"{sum(len(s.paragraphs) for s in report.sections)} paragraphs, "
              f"{sum(result.site.term_counts[report.id].values())} term occurrences, "
              f"{len(result.site.anchors[report.id])} notes; removed {len(removed)} furniture line(s)")
        if not args.quiet:
            for r in removed:
                print(f"  - line {r.line} [{r.rule}] {r.text[:60]}")
    if args.check:
        print(f"check passed: {len(result.reports)} report(s), {len(result.site.terms)} glossary entries; nothing written.")
        return 0
    written = result.written
    print(f"docs/: {len(written.written)} written, {written.unchanged} unchanged, {len(written.deleted)} removed "
          f"in {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
