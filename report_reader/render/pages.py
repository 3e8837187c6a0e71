"""One function per page kind, as MkDocs' _build_page: build the page's context, then render its
template (templates/, Jinja2 with autoescape on). Every string from a seed, sidecar or annotation
is escaped on its way in; fragments already made safe in Python (markup.py, entries.py) are passed
explicitly as Markup. The same input gives the same bytes."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from functools import partial

from markupsafe import Markup

from ..escaping import esc
from ..layout.glossaries import entry_href, index_paging, report_terms, report_terms_paging, shared_terms_paging
from ..layout.names import preamble_title, short_name, short_title
from ..layout.nav import comparison_years, latest_first, nav
from ..layout.plan import SiteLayout
from ..layout.paging import Paging, letter_id, letter_label
from ..layout.site import Site, reports_using
from ..layout.urls import (HOME, NAV, SHARED_GLOSSARY, TERM_INDEX, comparison_csv_path, comparison_path,
                           PRINT_CSS, PRINT_PAGE_CSS, depth, figures_csv_path, figures_path, glossary_base, landing_path,
                           page_file, print_path, raw_path, rel, section_path, served_path, tree_link)
from ..model import Report, Section, Term
from ..sources import BASIS, BASIS_ORDER, rests_on
from ..typography import display
from .entries import brief_entries_html, entry_html, paragraph_links
from .markup import md_text, notes_html, outline_html, render_blocks, term_list_html, terms_in
from .figures import comparison_csv, comparison_page, figures_page, report_csv
from .frontmatter import front
from .templating import Trusted, fragment, render
from .terms import TermTags

def _notes_edit(site: Site, report: Report, meta: dict) -> dict:
    edit = tree_link(site, f"annotations/notes/{report.id}")
    return {**meta, "edit_url": edit} if edit else meta


# ---------------------------------------------------------------- a report's pages

def section_page(site: Site, report: Report, section: Section) -> str:
    page = section_path(report, section.slug)
    tags = TermTags(site, report, page)
    anchors = [a for a in site.anchors.get(report.id, ()) if a.section == section.slug]
    meta = _notes_edit(site, report, {"title": f"{display(short_title(section))} · {short_name(report)}",
                                      "searchable": "report"})
    title = md_text(section.heading.marker + section.heading.title) if section.heading else preamble_title(section)
    terms = terms_in(site, report, section.slug)
    i = report.sections.index(section)

    def neighbour(other: Section | None) -> dict | None:
        if other is None:
            return None
        return {"href": rel(page, section_path(report, other.slug)), "title": display(short_title(other))}

    return render("section.md", front=front(meta), landing_href=rel(page, landing_path(report)),
                  report_title=display(report.display_title), title=Markup(title),
                  excerpt=section.heading is None and not section.paragraphs[0].text.startswith("各位"),
                  body=fragment(render_blocks(site, report, section, tags, base_level=2)),
                  term_list=terms and fragment([term_list_html(site, terms, tags)]),
                  notes=anchors and fragment([notes_html(site, anchors)]),
                  prev=neighbour(report.sections[i - 1] if i > 0 else None),
                  next=neighbour(report.sections[i + 1] if i + 1 < len(report.sections) else None))


def landing_page(site: Site, report: Report) -> str:
    page = landing_path(report)
    meta = _notes_edit(site, report, {"title": short_name(report) + " · " + display(report.display_title),
                                      "searchable": "report"})
    rows = [("地区", " / ".join(report.region) or "未识别"), ("发布机关", report.issuer), ("日期", report.date or "未识别")]
    if report.source_name:
        rows.append(("来源", report.source_name))
    own_title = display(report.title) if report.display_title != report.title else ""  # verbatim
    return render("landing.md", front=front(meta), title=Markup(md_text(report.display_title)), own_title=own_title,
                  meta_rows=[(k, display(v)) for k, v in rows], source_url=report.source_url,
                  source_is_web=report.source_url.startswith(("http://", "https://")),
                  frontmatter=[display(x) for x in report.frontmatter],
                  raw_href=rel(page, raw_path(report)), glossary_href=rel(page, page_file(glossary_base(report))),
                  figures_href=rel(page, figures_path(report)),
                  print_href=rel(page, print_path(report)), outline=fragment([outline_html(report, page)]),
                  term_count=len(terms_in(site, report)), note_count=len(site.anchors.get(report.id, [])),
                  removed=report.source.removed)


def print_page(site: Site, report: Report) -> str:
    """The whole report on paper: a document of its own, outside MkDocs (no Markdown to parse, no
    theme's navigation to carry), at the address a page would have. Terms are plain links here (no
    tooltip to describe); the combined term list explains them."""
    page = print_path(report)
    cover = [report.date, *report.frontmatter, report.source_name and f"来源：{report.source_name}",
             report.source_url and f"原文网页：{report.source_url}"]
    parts = []
    for s in report.sections:
        anchors = [a for a in site.anchors.get(report.id, ()) if a.section == s.slug]
        blocks = render_blocks(site, report, s, TermTags(site, report, page, f"{s.slug}-", tips=False),
                               base_level=3, with_tools=False, html_headings=True)
        parts.append({"slug": s.slug, "opening": s.heading is None,
                      "title": display(short_title(s)) if s.heading else preamble_title(s),
                      "body": blocks and fragment(blocks),
                      "notes": anchors and fragment([notes_html(site, anchors, id_prefix=f"{s.slug}-")])})
    terms = terms_in(site, report)
    return render("print.html", page_title=f"打印全文 · {short_name(report)}", report_name=short_name(report),
                  canonical=site.site_url and site.site_url.rstrip("/") + "/" + served_path(page),
                  screen_css=rel(page, PRINT_PAGE_CSS), print_css=rel(page, PRINT_CSS),
                  landing_href=rel(page, landing_path(report)),
                  region=" ".join(report.region), title=display(report.title),
                  cover=[display(x) for x in cover if x], parts=parts,
                  term_list=terms and fragment([term_list_html(site, terms, None)]))


# ---------------------------------------------------------------- glossaries and the term index

def _paged(paging: Paging, number: int, render_group) -> dict:
    """The context of a page of a glossary or index cut into pages (templates/_paged.md)."""
    page = paging.pages[number]
    letters = [{"label": letter_label(c), "href": f"#{letter_id(c)}" if p.path == page.path
                else rel(page.path, f"{p.path}#{letter_id(c)}")}
               for p in paging.pages for c, _ in p.groups if paging.letter_page[c] == p.path]
    groups = []
    for c, terms in page.groups:
        continued = page.continued == c and c == page.groups[0][0]
        groups.append({"title": letter_label(c) + ("（续）" if continued else ""),
                       "id": letter_id(c) + ("-cont" if continued else ""),
                       "pieces": [Trusted(p) for p in render_group(terms)]})

    def link(n: int) -> dict | None:
        other = paging.pages[n] if 0 <= n < len(paging) else None
        return other and {"href": rel(page.path, other.path), "label": other.label}
    return {"letters": letters, "groups": groups, "pages": len(paging), "number": number + 1,
            "prev": link(number - 1), "next": link(number + 1)}


def _page_title(title: str, paging: Paging, number: int) -> str:
    return title if len(paging) == 1 else f"{title}（{paging.pages[number].label}）"


def _basis_options(paging: Paging, number: int) -> list[tuple[str, str, int]]:
    """The choices of a glossary page's filter by what its entries rest on, with their counts."""
    terms = [t for _, ts in paging.pages[number].groups for t in ts]
    counts = Counter(rests_on(t.status, t.sources) for t in terms)
    return [("all", "全部", len(terms))] + [(key, BASIS[key], counts[key]) for key in BASIS_ORDER if counts[key]]


def _count(paging: Paging) -> int:
    return sum(len(ts) for p in paging.pages for _, ts in p.groups)


def report_glossary(site: Site, report: Report, number: int = 0) -> str:
    paging = report_terms_paging(site, report)
    page = paging.pages[number].path
    meta = {"title": _page_title(f"术语表 · {short_name(report)}", paging, number), "searchable": "glossary"}
    if site.repo_url:
        meta["edit_url"] = tree_link(site, "annotations/terms")
    tables = site.tables.of(report.id)
    if tables.has_official is None:  # asked once per report, not once per glossary page
        tables.has_official = any(t.status == "official" for t in report_terms(site, report))
    paragraphs = paragraph_links(site, report, page)

    def group(terms: list[Term]) -> list[str]:  # runs of shared terms as one list, local entries in full
        out, run = [], []
        for t in terms + [None]:
            if t is not None and t.scope.everywhere:
                run.append(t)
                continue
            if run:
                out.append(brief_entries_html(site, run, page, report, paragraphs))
                run = []
            if t is not None:
                out.append(entry_html(site, t, page, report, paragraphs))
        return out
    return render("report_glossary.md", front=front(meta), report_name=Markup(md_text(short_name(report))),
                  count=_count(paging), shared_href=rel(page, shared_terms_paging(site).pages[0].path),
                  has_official=tables.has_official, basis_options=_basis_options(paging, number),
                  **_paged(paging, number, group))


def shared_glossary(site: Site, number: int = 0) -> str:
    paging = shared_terms_paging(site)
    page = paging.pages[number].path
    meta = {"title": _page_title("共用术语表", paging, number), "searchable": "glossary"}
    if site.repo_url:
        meta["edit_url"] = tree_link(site, "annotations/terms")
    return render("shared_glossary.md", front=front(meta), count=_count(paging),
                  basis_options=_basis_options(paging, number),
                  **_paged(paging, number, lambda terms: [entry_html(site, t, page, None) for t in terms]))


def term_index(site: Site, number: int = 0) -> str:
    paging = index_paging(site)
    meta = front({"title": _page_title("术语索引", paging, number)})
    if not paging.pages[number].groups:
        return render("term_index.md", front=meta, empty=True)
    page = paging.pages[number].path
    return render("term_index.md", front=meta, empty=False,
                  **_paged(paging, number, lambda terms: [_index_table(site, terms, page)]))


def _index_table(site: Site, terms: list[Term], page: str) -> str:
    """Rows made here, not in a template: the index links hundreds of thousands of times. Every
    index page sits in reports/, so a report glossary page has one address from all of them."""
    if site.tables.index_reports is None:
        site.tables.index_reports = {r.id: (report_terms_paging(site, r).page_of, esc(short_name(r))) for r in site.reports}
    reports = site.tables.index_reports
    hrefs = site.tables.index_hrefs.setdefault(depth(page), {})
    rows = []
    for t in terms:
        using = reports_using(site, t.id)
        term_id = t.id
        tid = esc(term_id)
        cells = []
        for r, _ in using:
            page_of, name = reports[r.id]
            path = page_of[term_id]
            href = hrefs.get(path)
            if href is None:
                href = hrefs[path] = esc(rel(page, path))
            cells.append(f'<a href="{href}#{tid}">{name}</a>')
        rows.append(f'<tr id="{tid}"><td><a href="{esc(entry_href(site, t, page))}">{esc(display(t.term))}</a></td>'
                    f'<td>{len(using)}</td><td>{"；".join(cells)}</td></tr>')
    return (f'<table class="rr-index"><thead><tr><th>术语</th><th>报告数</th><th>出现于</th></tr></thead>\n'
            f'<tbody>\n{"".join(row + chr(10) for row in rows)}</tbody></table>\n')


# ---------------------------------------------------------------- home

def home_page(site: Site) -> str:
    by_region: dict[str, list[Report]] = defaultdict(list)
    by_year: dict[str, list[Report]] = defaultdict(list)
    for r in site.reports:
        by_region[r.region[0] if r.region else "未识别地区"].append(r)
        by_year[r.year or "未识别年份"].append(r)

    def listed(reports: list[Report]) -> list[dict]:
        return [{"href": rel(HOME, landing_path(r)), "title": display(r.display_title), "region": " / ".join(r.region),
                 "date": r.date} for r in sorted(reports, key=lambda r: (r.region_path, r.date, r.id))]
    regions = [(Markup(md_text(name)), listed(by_region[name]))
               for name in sorted(by_region, key=lambda r: (r.startswith("未识别"), r))]
    years = [(Markup(md_text(year)), year, listed(by_year[year])) for year in sorted(by_year, key=latest_first)]
    return render("home.md", front=front({"title": "首页"}), by_region=regions, by_year=years,
                  term_index_href=rel(HOME, page_file(TERM_INDEX)), glossary_href=rel(HOME, page_file(SHARED_GLOSSARY)))



# ---------------------------------------------------------------- the page kinds

Made = Callable[[], "str | bytes"]
# Each kind lists its pages as (docs path, how to make it), in order. A new kind of page (figures,
# say) registers here; the pipeline asks these two tables and nothing else.
REPORT_PAGES: dict[str, Callable[[Site, Report], list[tuple[str, Made]]]] = {
    "landing": lambda site, r: [(landing_path(r), partial(landing_page, site, r))],
    "sections": lambda site, r: [(section_path(r, s.slug), partial(section_page, site, r, s)) for s in r.sections],
    "glossary": lambda site, r: [(p.path, partial(report_glossary, site, r, n))
                                 for n, p in enumerate(report_terms_paging(site, r).pages)],
    "print": lambda site, r: [(print_path(r), partial(print_page, site, r))],
    "figures": lambda site, r: [(figures_path(r), partial(figures_page, site, r)),
                                (figures_csv_path(r), partial(report_csv, site, r))],
}
SITE_PAGES: dict[str, Callable[[Site, SiteLayout], list[tuple[str, Made]]]] = {
    "home": lambda site, layout: [(HOME, partial(home_page, site))],
    "navigation": lambda site, layout: [(NAV, partial(nav, site))],
    "shared glossary": lambda site, layout: [(p.path, partial(shared_glossary, site, n))
                                     for n, p in enumerate(shared_terms_paging(site).pages)],
    "term index": lambda site, layout: [(p.path, partial(term_index, site, n)) for n, p in enumerate(index_paging(site).pages)],
    "comparisons": lambda site, layout: [page for y in comparison_years(site) for page in (
        (comparison_path(y), partial(comparison_page, site, y)), (comparison_csv_path(y), partial(comparison_csv, site, y)))],
}


def report_pages(site: Site, report: Report, raw: bytes) -> dict[str, Made]:
    """A report's pages, each made when it is asked for, and its raw text."""
    out = {path: make for kind in REPORT_PAGES.values() for path, make in kind(site, report)}
    out[raw_path(report)] = lambda: raw
    return out


def render_report(site: Site, report: Report, raw: bytes):
    """The render layer's one entry for a report: its pages as (docs path, bytes), made one by one
    as they are asked for; the tables made for them are dropped after the last."""
    for path, make in report_pages(site, report, raw).items():
        page = make()
        yield path, page if isinstance(page, bytes) else page.encode("utf-8")
    site.tables.release(report.id)


def site_pages(site: Site, layout: SiteLayout) -> dict[str, Made]:
    """The pages that span reports."""
    return {path: make for kind in SITE_PAGES.values() for path, make in kind(site, layout)}
