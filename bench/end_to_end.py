#!/usr/bin/env python3
"""The whole build, end to end: `make site` (build_docs.py, `mkdocs build --strict`, then Pagefind's
index) against a plain Material site of the same reports.

    python bench/end_to_end.py                # the seed + corpus, and the seed + 30 reports; 3 rounds
    python bench/end_to_end.py --large        # also the 460-report set (long: minutes per build, GBs)
    python bench/end_to_end.py --rounds 1 --variant no-print-pages

The plain site holds the same report texts as plain Markdown: one page per section, the report's
headings as headings, its paragraphs as paragraphs, derived with the project's own ingest and
structure stages so that its pages are ours without the reader's additions. It has the same theme
and language, and Material's own search (lang zh with jieba, the separator the project used with
it), no hooks, no glossary, no notes, no print pages. Each round runs the yardstick, then our build
from an empty docs/reports (generation, MkDocs, Pagefind), and the plain build, the two MkDocs
builds in alternating order, so that a busy minute hits both.
A --variant changes a copy of our generated site before MkDocs runs (see VARIANTS) and is timed in
the same rounds. Figures are measurements, not tests."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import (OUT, SOURCES, Run, _without_print_pages, discard, empty_trash, generate,  # noqa: E402
                 make_project, pagefind_index, python_loop, run_child, settle, site_sizes)

PLAIN_CONFIG = """site_name: plain
site_url: https://example.org/plain/
theme:
  name: material
  language: zh
  font: false
plugins:
  - search:
      lang: zh
      separator: '[\\s\\u200b\\-，。；：、！？“”（）《》]+'
"""


def plain_site(project: Path, dest: Path) -> int:
    """The project's reports as plain Material pages; returns the number of pages."""
    from report_reader import pipeline
    problems: list = []
    reports, _ = pipeline.read_reports(pipeline.Project(project), problems)
    discard(dest)
    docs = dest / "docs"
    docs.mkdir(parents=True)
    (dest / "mkdocs.yml").write_text(PLAIN_CONFIG, encoding="utf-8")
    (docs / "index.md").write_text("# 政府工作报告\n", encoding="utf-8")
    pages = 1
    for report in reports:
        for section in report.sections:
            title = f"{section.heading.marker}{section.heading.title}" if section.heading else report.title
            lines = [f"# {title}", ""]
            for block in section.blocks:
                if block.heading is not None and block.heading is not section.heading:
                    lines += ["#" * min(block.heading.level + 1, 6) + f" {block.heading.marker}{block.heading.title}", ""]
                if block.paragraph is not None:
                    lines += [block.paragraph.text, ""]
            page = docs / report.id / f"{section.slug}.md"
            page.parent.mkdir(exist_ok=True)
            page.write_text("\n".join(lines), encoding="utf-8")
            pages += 1
    return pages


# What each variant changes in a copy of our generated project (nothing in the real one).
VARIANTS = {
    "no-print-pages": _without_print_pages,
}


def mkdocs(project: Path, strict: bool = True) -> Run:
    discard(project / "site")
    return run_child([sys.executable, "-m", "mkdocs", "build", "--quiet", *(["--strict"] if strict else [])], project)


def variant_of(project: Path, name: str) -> Path:
    copy = OUT / f"variant-{name}"
    discard(copy)
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("site"))
    VARIANTS[name](copy)
    return copy


def compare(label: str, project: Path, rounds: int, variants: list[str]) -> list[str]:
    plain = OUT / f"{project.name}-plain"
    pages = plain_site(project, plain)
    times: dict[str, list[float]] = {"generate": [], "mkdocs": [], "pagefind": [], "plain": [], "yardstick": []}
    times.update({v: [] for v in variants})
    cpu: dict[str, list[float]] = {k: [] for k in times}  # CPU seconds: less moved by other load than wall time
    for n in range(rounds):
        times["yardstick"].append(python_loop())
        settle(project)
        gen = generate(project)
        if n % 2:  # neither build always runs first, just after generation
            base, ours = mkdocs(plain, strict=False), mkdocs(project)
            index = pagefind_index(project)
        else:
            ours = mkdocs(project)
            index = pagefind_index(project)
            base = mkdocs(plain, strict=False)
        for key, run in [("generate", gen), ("mkdocs", ours), ("pagefind", index), ("plain", base),
                         *((v, mkdocs(variant_of(project, v))) for v in variants)]:
            times[key].append(run.wall)
            cpu[key].append(run.cpu)
        print(f"  {label}, round {n + 1}: yardstick {times['yardstick'][-1]:.2f} s; generate {gen}; mkdocs {ours}; "
              f"pagefind {index}; "
              f"plain {base}" + "".join(f"; {v} {times[v][-1]:.1f} s" for v in variants), file=sys.stderr, flush=True)
    sizes = site_sizes(project)
    ours_pages = sizes["pages"]
    med = {k: statistics.median(v) for k, v in times.items()}
    mcpu = {k: statistics.median(v) for k, v in cpu.items() if v}
    site = med["generate"] + med["mkdocs"] + med["pagefind"]
    site_cpu = mcpu["generate"] + mcpu["mkdocs"] + mcpu["pagefind"]
    rows = [f"| {label}: `make site` (generate + `mkdocs build --strict` + Pagefind), {ours_pages} HTML pages | "
            f"{site:.1f} s = {med['generate']:.1f} + {med['mkdocs']:.1f} + {med['pagefind']:.1f} s ({site_cpu:.1f} s CPU) | "
            f"×{site / med['plain']:.2f} the plain site (×{site_cpu / mcpu['plain']:.2f} in CPU time) |",
            f"| {label}: Pagefind's index | {sizes['indexed_pages']} pages, {sizes['index'] / 1e6:.2f} MB "
            f"(chunks, fragments, metadata; gzipped), holding {sizes['indexed_text'] / 1e6:.2f} MB of text | |",
            f"| {label}: plain Material, same reports ({pages} pages) | {med['plain']:.1f} s ({mcpu['plain']:.1f} s CPU) | |"]
    rows += [f"| {label}: `mkdocs build`, variant {v} | {med[v]:.1f} s ({mcpu[v]:.1f} s CPU) | "
             f"ours as is: {med['mkdocs']:.1f} s ({mcpu['mkdocs']:.1f} s CPU) |" for v in variants]
    rows.append(f"| {label}: yardstick in those rounds | " + ", ".join(f"{t:.2f}" for t in times["yardstick"]) + " s | |")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reports", type=int, default=31, help="the second project: the seed + 30 reports")
    parser.add_argument("--large", type=int, nargs="?", const=460, default=0, metavar="N",
                        help="also the N-report set (460 by default, 5,000 terms; long)")
    parser.add_argument("--variant", action="append", default=[], choices=sorted(VARIANTS),
                        help="also time `mkdocs build` of our site changed so (repeatable)")
    parser.add_argument("--only", choices=["corpus", "reports"], help="one of the two projects only")
    args = parser.parse_args(argv)
    texts = [p.read_text(encoding="utf-8") for p in SOURCES]
    projects = []  # (label, folder, reports, terms (0: the project's own), rounds)
    if args.only != "reports":
        projects.append(("seed + corpus", "e2e-corpus", len(SOURCES), 0, args.rounds))
    if args.only != "corpus":
        projects.append((f"{args.reports} reports", "e2e-reports", args.reports, 0, args.rounds))
    if args.large:
        projects.append((f"{args.large} reports, 5,000 terms", "e2e-large", args.large, 5000, 1))  # one round: long
    rows = []
    for label, folder, reports, terms, rounds in projects:
        info = make_project(OUT / folder, reports, terms, texts)
        rows += compare(f"{label} ({info['bytes'] / 1e6:.1f} MB)", OUT / folder, rounds, args.variant)
    empty_trash()
    print(f"`python bench/end_to_end.py {' '.join(argv or sys.argv[1:])}` — {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f} at the end; medians of the rounds, wall-clock time\n")
    print("| measured | result | against |\n| --- | --- | --- |")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
