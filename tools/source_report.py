#!/usr/bin/env python3
"""What the entries a reader meets in one report rest on: for the glossary entries marked in the
report and the notes anchored in it, how many web citations name an official or state-media publisher
(issue 16's target: at least 60%), and which entries fall short of the source policy.

    python tools/source_report.py jinan-tianqiao-2024           # summary
    python tools/source_report.py jinan-tianqiao-2024 --list    # and one line per entry

It reads the project as the build does (seeds/, annotations/), policy errors or not, and writes nothing."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from report_reader.pipeline import build  # noqa: E402
from report_reader.sources import (BASIS, REPORT, TRUSTED, is_local, publisher_tier, refused_reason,  # noqa: E402
                                   rests_on, source_tier)


def entries(root: Path, report_id: str) -> list[tuple[str, str, str, list]]:
    """(kind, id, file, sources) of every shared or local entry marked in the report and every note
    anchored in it; the report's own 名词解释 entries cite nothing and are left out."""
    result = build(root, jobs=1, render=False)
    site = result.site
    if site is None or report_id not in site.term_counts:
        known = ", ".join(sorted(site.term_counts)) if site else ""
        raise SystemExit(f"error: report `{report_id}` is not in seeds/ (known: {known})")
    out = []
    for term_id in sorted(site.term_counts[report_id]):
        term = site.terms[term_id]
        if term.status != "official":
            out.append(("term", term_id, term.file, term.sources, term.status, term.scope))
    for anchor in site.anchors.get(report_id, []):
        note = anchor.note
        out.append(("note", note.id, note.file, note.sources, "verified" if note.sources else "unverified", ""))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", help="report id: the seed's file name without .txt")
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder")
    parser.add_argument("--list", action="store_true", help="one line per entry")
    args = parser.parse_args(argv)

    found = entries(args.root, args.report)
    web = naming = classified = quotes = no_publisher = no_date = refused = 0
    by_kind: dict[str, Counter] = {"term": Counter(), "note": Counter()}
    short: list[str] = []
    bases: Counter = Counter()
    for kind, entry_id, file, cited, status, scope in found:
        entry_web = [s for s in cited if not s.report]
        by_kind[kind]["web"] += len(entry_web)
        by_kind[kind]["naming"] += sum(publisher_tier(s.publisher) in TRUSTED for s in entry_web)
        quotes += len(cited) - len(entry_web)
        web += len(entry_web)
        naming += sum(publisher_tier(s.publisher) in TRUSTED for s in entry_web)
        classified += sum(source_tier(s) in TRUSTED for s in entry_web)
        no_publisher += sum(not s.publisher for s in entry_web)
        no_date += sum(not s.date for s in entry_web)
        refused += sum(bool(refused_reason(s.url) or refused_reason(s.via)) for s in entry_web)
        tiers = {source_tier(s) for s in cited}
        if kind == "term":
            basis = rests_on(status, cited)
            bases[basis] += 1
            if status == "verified" and not tiers & TRUSTED and not (is_local(scope) and REPORT in tiers):
                short.append(f"{file}: verified, but no official or state-media source"
                             + (" (a national entry resting on the report's words)" if REPORT in tiers else ""))
        if args.list:
            label = BASIS[rests_on(status, cited)] if kind == "term" else ("有来源" if cited else "未核实")
            print(f"{kind:4} {entry_id:40} {label:4} web {len(entry_web):2}, official/state media by publisher "
                  f"{sum(publisher_tier(s.publisher) in TRUSTED for s in entry_web):2}, report {len(cited) - len(entry_web)}")
    terms = sum(1 for e in found if e[0] == "term")
    print(f"{args.report}: {terms} glossary entries marked, {len(found) - terms} notes")
    print(f"web citations: {web}; naming an official or state-media publisher: {naming} "
          f"({100 * naming / web if web else 0:.0f}%, target ≥ 60%)")
    for kind, label in (("term", "glossary entries"), ("note", "notes")):
        n, k = by_kind[kind]["web"], by_kind[kind]["naming"]
        print(f"  {label}: {k} of {n} ({100 * k / n if n else 0:.0f}%)")
    print(f"  official or state media by publisher or by the publisher's own address: {classified} "
          f"({100 * classified / web if web else 0:.0f}%)")
    print(f"  without publisher: {no_publisher}; without date: {no_date}; on a refused host: {refused}; "
          f"report quotes besides: {quotes}")
    print("glossary entries rest on: " + ", ".join(f"{BASIS[k]} {bases[k]}" for k in BASIS))
    print(f"verified entries short of the source policy: {len(short)}")
    for line in short:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
