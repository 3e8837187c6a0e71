"""Key figures as pages and files: each report's 数据 page and figures.csv, and the comparison of the
targets of all reports of one year (page and CSV). Built from Report.figures (report_reader/figures.py)
in a fixed order, so the same input gives the same bytes. The page skeletons are templates/figures.md
and comparison.md; the link from a paragraph to its figures is made with the paragraph (markup.py)."""

from __future__ import annotations

import csv
import io

from markupsafe import Markup

from ..figures import column_of, load_indicators, number_of
from ..layout.names import section_label, short_name
from ..layout.site import Site
from ..layout.urls import (comparison_csv_path, comparison_path, figures_csv_path, figures_path, rel,
                           section_path, served_path)
from ..model import Figure, Report
from ..typography import display
from .frontmatter import front
from .markup import md_text
from .templating import render

CSV_COLUMNS = ["kind", "indicator", "value", "unit", "qualifier", "paragraph"]


def row_id(figure: Figure) -> str:
    """The 数据 page's anchor for a paragraph's figures: its first row carries it."""
    return f"{figure.section}-p{figure.paragraph}"


# ---------------------------------------------------------------- one report

def paragraph_url(site: Site, report: Report, figure: Figure) -> str:
    """The paragraph's address on the published site (absolute when mkdocs.yml names site_url), for
    a CSV read away from the site."""
    path = served_path(section_path(report, figure.section)) + f"#p{figure.paragraph}"
    base = site.site_url.rstrip("/")
    return f"{base}/{path}" if base else path


def csv_bytes(rows: list[list[str]]) -> bytes:
    """UTF-8 with a byte-order mark (spreadsheet programs then read it as Chinese), CRLF rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_cell(c) for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (a sidecar is written by strangers): text that
    starts with = + - @ gets a leading apostrophe; a plain number such as -0.3 is left as it is."""
    if value[:1] in ("=", "+", "-", "@", "\t", "\r") and number_of(value.lstrip("+-")) is None:
        return "'" + value
    return value


def report_csv(site: Site, report: Report) -> bytes:
    rows = [CSV_COLUMNS] + [[f.kind, f.indicator, f.value, f.unit, f.qualifier, paragraph_url(site, report, f)]
                            for f in report.figures]
    return csv_bytes(rows)


def figures_page(site: Site, report: Report) -> str:
    page = figures_path(report)
    year = report.year
    # Decided from this report alone (a worker holds only some reports): when it states a target, its
    # year has a comparison page.
    states_targets = year.isdigit() and any(f.kind == "target" for f in report.figures)
    sections = {s.slug: s for s in report.sections}
    seen: set[str] = set()

    def row(f: Figure) -> dict:
        rid = row_id(f)
        first = rid not in seen
        seen.add(rid)
        return {"id": rid if first else "", "indicator": display(f.indicator), "hand": f.origin == "sidecar",
                "value": f.value, "unit": f.unit, "qualifier": f.qualifier,
                "href": rel(page, section_path(report, f.section)) + f"#p{f.paragraph}",
                "where": f"{section_label(sections[f.section])} ¶{f.paragraph}" if f.section in sections else rid}
    kinds = [{"title": title, "anchor": anchor, "rows": [row(f) for f in report.figures if f.kind == kind]}
             for kind, title, anchor in (("target", "目标", "targets"), ("result", "成绩", "results"))]
    return render("figures.md", front=front({"title": f"数据 · {short_name(report)}"}),
                  name=Markup(md_text(short_name(report))), kinds=kinds, csv_href=rel(page, figures_csv_path(report)),
                  comparison=states_targets and {"href": rel(page, comparison_path(year)), "year": year})


# ---------------------------------------------------------------- across reports: one year's targets

def comparison(site: Site, year: str) -> tuple[list[dict], list[tuple[Report, dict[str, Figure]]]]:
    """The columns stated by at least half of the year's reports that state targets (at least one),
    and each such report's target for each column (the first it states)."""
    columns = load_indicators()
    reports = sorted((r for r in site.reports if r.year == year and any(f.kind == "target" for f in r.figures)),
                     key=lambda r: (r.region_path, r.date, r.id))
    table = []
    for r in reports:
        cells: dict[str, Figure] = {}
        for f in r.figures:
            if f.kind == "target":
                col = column_of(f.indicator, columns)
                if col is not None and col not in cells:
                    cells[col] = f
        table.append((r, cells))
    need = max(1, (len(reports) + 1) // 2)
    shown = [c for c in columns if sum(c["id"] in cells for _, cells in table) >= need]
    return shown, table


def _cell_text(f: Figure) -> str:
    """5%左右; 力争…以上 reads 力争6%以上."""
    q = f.qualifier
    if f.unit == "百分之":
        return f"百分之{f.value}{q}"
    if "…" in q:
        before, _, after = q.partition("…")
        return f"{before}{f.value}{f.unit}{after}"
    if q in ("力争", "不低于", "不少于", "不超过", "不高于", "突破", "超过", "超", "约", "近") or q.startswith("力争"):
        return f"{q}{f.value}{f.unit}"
    return f"{f.value}{f.unit}{q}"


def comparison_page(site: Site, year: str) -> str:
    page = comparison_path(year)
    shown, table = comparison(site, year)

    def cell(r: Report, f: Figure | None) -> dict | None:
        if f is None:
            return None
        n = number_of(f.value)
        return {"sort": f"{n:g}" if n is not None else "", "indicator": display(f.indicator), "text": _cell_text(f),
                "href": rel(page, section_path(r, f.section)) + f"#p{f.paragraph}"}
    rows = [{"href": rel(page, figures_path(r)), "name": short_name(r),
             "cells": [cell(r, cells.get(c["id"])) for c in shown]} for r, cells in table]
    return render("comparison.md", front=front({"title": f"{year}年主要预期目标对比"}),
                  year=year, csv_href=rel(page, comparison_csv_path(year)), columns=[c["label"] for c in shown],
                  rows=rows)


def comparison_csv(site: Site, year: str) -> bytes:
    """One row per report; for each column its value, unit and qualifier as written, blank when the
    report states none, and the paragraph's address."""
    shown, table = comparison(site, year)
    head = ["report", "title"]
    for c in shown:
        head += [f"{c['label']}", f"{c['label']}·单位", f"{c['label']}·限定", f"{c['label']}·段落"]
    rows = [head]
    for r, cells in table:
        row = [r.id, display(r.title)]
        for c in shown:
            f = cells.get(c["id"])
            row += [f.value, f.unit, f.qualifier, paragraph_url(site, r, f)] if f else ["", "", "", ""]
        rows.append(row)
    return csv_bytes(rows)
