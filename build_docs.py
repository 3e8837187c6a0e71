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
import sys
import time
from pathlib import Path

from report_reader import cache
from report_reader.command import check_passed, run, show
from report_reader.inputs import docs_problem
from report_reader.parallel import default_jobs
from report_reader.write import BuildLock, UnsafeWrite

# The pipeline (pypinyin, Jinja2 ...) is imported only once the cache says there is work to do (command.run).


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


if __name__ == "__main__":
    sys.exit(main())
