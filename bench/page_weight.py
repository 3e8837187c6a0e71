#!/usr/bin/env python3
"""Page weight: the built site's HTML against the report text it holds, by page kind, in bytes
(deterministic: the same input gives the same figures).

    python bench/page_weight.py                 # seed + corpus, and the seed + 31 reports (write_seeds 32)
    python bench/page_weight.py --site DIR      # an already built site/ (its project's seeds/ beside it)

For each kind: pages, bytes, the article (`<article …>…</article>`, or the whole document for a page
outside Material's shell) and the rest (the shell) per page. Figures are measurements, not tests."""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import OUT, generate, make_project, mkdocs_build, settle  # noqa: E402

KINDS = [  # first match wins; paths below site/
    ("section", re.compile(r"^reports/[^/]+/s\d[^/]*/index\.html$")),
    ("whole-report print", re.compile(r"^reports/[^/]+/print/index\.html$")),
    ("report glossary", re.compile(r"^reports/(?!glossary|terms|targets)[^/]+/glossary[^/]*/index\.html$")),
    ("数据 (figures)", re.compile(r"^reports/[^/]+/figures/index\.html$")),
    ("shared glossary", re.compile(r"^reports/glossary[^/]*/index\.html$")),
    ("term index", re.compile(r"^reports/terms[^/]*/index\.html$")),
    ("targets comparison", re.compile(r"^reports/targets/")),
    ("landing", re.compile(r"^reports/[^/]+/index\.html$")),
    ("home, contributing, 404", re.compile(r".")),
]
ARTICLE = re.compile(rb"<article\b.*?</article>", re.S)


def weigh(project: Path) -> dict:
    site = project / "site"
    seeds = sum(p.stat().st_size for p in (project / "seeds").glob("*.txt"))
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        kind = next(name for name, pattern in KINDS if pattern.search(rel))
        data = page.read_bytes()
        m = ARTICLE.search(data)
        row = kinds[kind]
        row[0] += 1
        row[1] += len(data)
        row[2] += len(m.group(0)) if m else len(data)
    return {"seeds": seeds, "kinds": dict(kinds)}


def table(result: dict) -> str:
    total = sum(r[1] for r in result["kinds"].values())
    pages = sum(r[0] for r in result["kinds"].values())
    lines = ["| kind | pages | bytes | article | shell/page |", "| --- | --- | --- | --- | --- |"]
    for name, _ in KINDS:
        if name in result["kinds"]:
            n, size, article = result["kinds"][name]
            lines.append(f"| {name} | {n} | {size / 1000:,.0f} KB | {article / 1000:,.0f} KB | {(size - article) / n / 1000:.1f} KB |")
    lines.append(f"| all | {pages} | {total / 1e6:.2f} MB ({total:,} B) | | |")
    lines.append(f"\nseeds {result['seeds'] / 1e6:.3f} MB; HTML ×{total / result['seeds']:.1f} the report text")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--site", type=Path, help="a project folder already built (holds seeds/ and site/)")
    args = ap.parse_args(argv)
    if args.site:
        print(table(weigh(args.site)))
        return 0
    for name, reports in [("seed + corpus", 5), ("seed + 31 reports", 32)]:
        project = OUT / f"weight-{reports}"
        make_project(project, reports, 0, [])
        settle(project)
        generate(project)
        mkdocs_build(project)
        print(f"## {name}\n\n{table(weigh(project))}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
