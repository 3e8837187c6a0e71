"""Key figures as pages and files: each report's 数据 page and figures.csv, the comparison of the
targets of all reports of one year (page and CSV), and the small link from a paragraph of the text to
its figures in the 数据 page. Built from Report.figures (report_reader/figures.py) in a fixed order,
so the same input gives the same bytes."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from ..figures import column_of, load_indicators, number_of
from ..model import Figure, Report
from ..typography import display
from .html import esc, rel
from .pages import ROOT, Site, front, md_text, report_dir, section_label, section_path, short_name

KIND_LABEL = {"target": "目标", "result": "成绩"}
CSV_COLUMNS = ["kind", "indicator", "value", "unit", "qualifier", "paragraph"]
TARGETS_DIR = f"{ROOT}/targets"  # the comparison of one year's targets: reports/targets/<year>.md and .csv


def figures_path(report: Report) -> str:
    return f"{report_dir(report)}/figures.md"


def figures_csv_path(report: Report) -> str:
    return f"{report_dir(report)}/figures.csv"


def comparison_path(year: str) -> str:
    return f"{TARGETS_DIR}/{year}.md"


def comparison_csv_path(year: str) -> str:
    return f"{TARGETS_DIR}/{year}.csv"


def row_id(figure: Figure) -> str:
    """The 数据 page's anchor for a paragraph's figures: its first row carries it."""
    return f"{figure.section}-p{figure.paragraph}"


def comparison_years(site: Site) -> list[str]:
    """Years with at least one report that states a target, latest first."""
    years = {r.year for r in site.reports if r.year.isdigit() and any(f.kind == "target" for f in r.figures)}
    return sorted(years, reverse=True)


# ---------------------------------------------------------------- the paragraph → its figures

def paragraph_figures_link(report: Report, slug: str, number: int, page: str) -> str:
    """After a paragraph's words, on its section page: a link to its rows in the 数据 page, when the
    table holds figures of it. Not in print (tools are not), and never in the words themselves."""
    places = _places(report)
    count = places.get((slug, number))
    if not count:
        return ""
    href = esc(rel(page, figures_path(report)) + f"#{slug}-p{number}")
    return (f'<a class="rr-figref" href="{href}" data-search-exclude '
            f'aria-label="第 {number} 段的 {count} 个数字在数据表中">数据</a>')


def _places(report: Report) -> dict[tuple[str, int], int]:
    # Asked once per paragraph; a report has a few hundred figures at most, counted once per call site
    # would be quadratic, so the count is kept beside the list it was made from.
    cached = _PLACES.get(report.id)
    if cached is None or cached[0] is not report.figures:
        counts: dict[tuple[str, int], int] = defaultdict(int)
        for f in report.figures:
            counts[(f.section, f.paragraph)] += 1
        cached = _PLACES[report.id] = (report.figures, dict(counts))
    return cached[1]


_PLACES: dict[str, tuple[list[Figure], dict]] = {}


# ---------------------------------------------------------------- one report

def paragraph_url(site: Site, report: Report, figure: Figure) -> str:
    """The paragraph's address on the published site (absolute when mkdocs.yml names site_url), for
    a CSV read away from the site."""
    path = section_path(report, figure.section)[:-3] + f"/#p{figure.paragraph}"
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
    out = [front({"title": f"数据 · {short_name(report)}", "search": {"exclude": True}}),
           f"# 数据：{md_text(short_name(report))} {{#top}}\n"]
    year = report.year
    # Decided from this report alone (a worker holds only some reports): when it states a target, its
    # year has a comparison page.
    states_targets = year.isdigit() and any(f.kind == "target" for f in report.figures)
    compare = (f'，与同年其他报告的目标对照见<a href="{rel(page, comparison_path(year))}">{esc(year)}年主要预期目标对比</a>'
               if states_targets else "")
    out.append(f'<p class="rr-figures-intro">本报告中的目标与成绩数字，由程序从原文摘出：指标、数值、单位和“左右”“以上”等限定词照录原文，'
               f'读不清楚的数字不收。“出处”链接到原文段落，原文中收录了数字的段落末尾有“数据”链接回到这里{compare}。'
               f'<a href="{rel(page, figures_csv_path(report))}" download>下载 CSV</a>（UTF-8）。</p>\n')
    sections = {s.slug: s for s in report.sections}
    seen: set[str] = set()
    for kind, title, anchor in (("target", "目标", "targets"), ("result", "成绩", "results")):
        rows = [f for f in report.figures if f.kind == kind]
        out.append(f"## {title} {{#{anchor}}}\n")
        if not rows:
            out.append("<p>未找到。</p>\n")
            continue
        body = []
        for f in rows:
            rid = row_id(f)
            id_attr = f' id="{rid}"' if rid not in seen else ""
            seen.add(rid)
            where = f"{section_label(sections[f.section])} ¶{f.paragraph}" if f.section in sections else rid
            href = esc(rel(page, section_path(report, f.section)) + f"#p{f.paragraph}")
            hand = ' <span class="rr-fig-hand" title="由贡献者在 seeds 附注中校订">校</span>' if f.origin == "sidecar" else ""
            body.append(f'<tr{id_attr}><td>{esc(display(f.indicator))}{hand}</td><td class="rr-num">{esc(f.value)}</td>'
                        f'<td>{esc(f.unit)}</td><td>{esc(f.qualifier)}</td><td><a href="{href}">{esc(where)}</a></td></tr>')
        out.append(_table(f"{title}（{len(rows)} 项）",
                          "<tr><th>指标</th><th>数值</th><th>单位</th><th>限定</th><th>出处</th></tr>", body))
    return "\n".join(out)


def _table(label: str, head: str, rows: list[str], sortable: bool = False) -> str:
    """A table in a wrapper that scrolls sideways on a phone; the wrapper takes keyboard focus so it
    can be scrolled without a pointer."""
    attr = " data-sortable" if sortable else ""
    return (f'<div class="rr-table-scroll" role="region" tabindex="0" aria-label="{esc(label)}">'
            f'<table class="rr-figures"{attr}><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table></div>\n')


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
    out = [front({"title": f"{year}年主要预期目标对比", "search": {"exclude": True}}),
           f"# {md_text(year)}年主要预期目标对比 {{#top}}\n",
           f'<p class="rr-figures-intro">{esc(year)}年各份报告提出的主要预期目标，数字照录原文；报告没有给出数字的指标留空（不是零）。'
           f'只列出至少一半报告给出数字的指标；各报告的全部目标见其“数据”页。点列名可排序（不支持脚本时按地区排列）。'
           f'<a href="{rel(page, comparison_csv_path(year))}" download>下载 CSV</a>（UTF-8）。</p>\n']
    head = "<tr><th>报告</th>" + "".join(f"<th>{esc(c['label'])}</th>" for c in shown) + "</tr>"
    rows = []
    for r, cells in table:
        tds = [f'<td><a href="{esc(rel(page, figures_path(r)))}">{esc(short_name(r))}</a></td>']
        for c in shown:
            f = cells.get(c["id"])
            if f is None:
                tds.append("<td></td>")
                continue
            n = number_of(f.value)
            sort = f' data-sort="{n:g}"' if n is not None else ""
            href = esc(rel(page, section_path(r, f.section)) + f"#p{f.paragraph}")
            tds.append(f'<td class="rr-num"{sort}><a href="{href}" title="{esc(display(f.indicator))}">'
                       f'{esc(_cell_text(f))}</a></td>')
        rows.append("<tr>" + "".join(tds) + "</tr>")
    out.append(_table(f"{year}年主要预期目标", head, rows, sortable=True))
    return "\n".join(out)


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


def report_pages(site: Site, report: Report) -> dict:
    """A report's 数据 page and CSV, each made when asked for."""
    return {figures_path(report): lambda: figures_page(site, report),
            figures_csv_path(report): lambda: report_csv(site, report)}


def site_pages(site: Site) -> dict:
    """One comparison page and CSV per year."""
    out = {}
    for year in comparison_years(site):
        out[comparison_path(year)] = lambda y=year: comparison_page(site, y)
        out[comparison_csv_path(year)] = lambda y=year: comparison_csv(site, y)
    return out


def nav_entries(site: Site) -> list[dict]:
    """The navigation's entry for the comparisons: one page per year."""
    years = comparison_years(site)
    if not years:
        return []
    return [{"主要预期目标对比": [{f"{y}年": comparison_path(y)} for y in years]}]
