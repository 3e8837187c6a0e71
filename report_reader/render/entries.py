"""Glossary entries: a full entry (where a term is defined), brief entries (shared terms in a
report's glossary) and the links from an entry to the paragraphs that use it."""

from __future__ import annotations

from functools import cached_property

from ..escaping import esc
from ..layout.glossaries import SHARED_LISTED, report_entry_href, entry_href, index_paging
from ..layout.names import section_label, short_name
from ..layout.site import Site, occurrence_index, reports_using
from ..layout.urls import depth, edit_link, rel, section_path, section_path_of
from ..model import Report, Term
from ..typography import display
from ..annotation_markdown import sanitize_markdown
from .markup import lines, sources_html
from .terms import term_html

class ParagraphLinks:
    """Links from a report's glossary pages to the report's paragraphs. A thousand entries point at
    the same few hundred paragraphs, so each link is made once per report (its glossary pages all sit
    in one folder, so a link reads the same on each): see paragraph_links."""

    def __init__(self, site: Site, report: Report, page: str):
        self.site, self.report = site, report
        self._sections = {s.slug: (s, esc(rel(page, section_path(report, s.slug)))) for s in report.sections}
        self._links: dict[tuple[str, int, str, int], str] = {}

    def link(self, place: tuple[str, int, str, int]) -> str:
        """A link to a paragraph, from (section, paragraph, within, count): saying which longer term
        holds the term (`within`) and how often the paragraph uses it."""
        link = self._links.get(place)
        if link is None:
            slug, number, within, count = place
            section, href = self._sections[slug]
            link = f'<a href="{href}#p{number}">{esc(section_label(section))} ¶{number}'
            if within:
                link += esc(f"（在“{display(self.site.terms[within].term)}”中）")
            link = self._links[place] = link + (f"（{count} 处）" if count > 1 else "") + "</a>"
        return link

    @cached_property
    def by_term(self) -> dict[str, str]:
        """term id → the links to every place the report uses it, in one line (a glossary lists them)."""
        get, link = self._links.get, self.link
        return {term_id: "，".join([get(place) or link(place) for place in places])
                for term_id, places in occurrence_index(self.site, self.report).paragraph_counts.items()}


def paragraph_links(site: Site, report: Report, page: str) -> ParagraphLinks:
    by_depth = site.tables.of(report.id).paragraph_links
    links = by_depth.get(depth(page))
    if links is None:
        links = by_depth[depth(page)] = ParagraphLinks(site, report, page)
    return links


def _occurrence_links(site: Site, term: Term, page: str, report: Report | None,
                      paragraphs: ParagraphLinks | None = None) -> str:
    """In a report's glossary: a link to every occurrence. In the shared glossary: the reports it occurs
    in (a few by name, more by count with a link to the term index), so the page does not grow with them."""
    if report is None:
        using = reports_using(site, term.id)
        if len(using) > SHARED_LISTED:
            href = rel(page, index_paging(site).page_of[term.id] + "#" + term.id)
            return f'{len(using)} 份报告，见<a href="{esc(href)}">术语索引</a>'
        return "；".join(f'<a href="{esc(report_entry_href(site, term, r, page))}">{esc(short_name(r))}</a>'
                        f'（{n} 处）' for r, n in using)
    return (paragraphs or paragraph_links(site, report, page)).by_term.get(term.id, "")


def entry_html(site: Site, term: Term, page: str, report: Report | None,
               paragraphs: ParagraphLinks | None = None) -> str:
    """A full entry: in the shared glossary (`report` None) or in the glossary of a report in scope."""
    h = term_html(site, term)
    parts = [h.meta, f'<p class="rr-short">{h.short}</p>']
    if term.explanation:
        parts.append(f'<div class="rr-explanation">{term.explanation_html or sanitize_markdown(term.explanation)}</div>')
    if term.items:
        lis = []
        for i, item in enumerate(term.items):
            targets = [t for t in site.item_links.get((term.id, i), []) if report is None or t[0] == report.id]
            if targets:
                rid, slug, n = targets[0]
                lis.append(f'<li><a href="{esc(rel(page, section_path_of(rid, slug) + "#p" + str(n)))}">{esc(item.text)}</a></li>')
            else:
                lis.append(f"<li>{esc(item.text)}</li>")
        parts.append(f'<p>包括：</p><ol class="rr-items">{"".join(lis)}</ol>')
    if term.variants:
        parts.append(f'<p class="rr-variants">其他写法：{"、".join(esc(v) for v in term.variants)}</p>')
    if not term.scope.everywhere:
        kind = "地区" if term.scope.kind == "region" else "报告"
        parts.append(f'<p class="rr-scope">适用范围：{kind} {esc(term.scope.value)}</p>')
    if term.related:
        rel_links = "、".join(f'<a href="{esc(entry_href(site, site.terms[r], page, report))}">{esc(site.terms[r].term)}</a>'
                             for r in term.related if r in site.terms)
        parts.append(f"<p>相关：{rel_links}</p>")
    sources = site.tables.term_sources.get(term.id)
    if sources is None:  # a local entry stands in the glossary of every report in its scope
        sources = site.tables.term_sources[term.id] = sources_html(site, term.sources)
    parts.append(sources)
    links = _occurrence_links(site, term, page, report, paragraphs)
    if links:
        parts.append(f'<p class="rr-backlinks" data-pagefind-ignore>出现于：{links}</p>')
    if site.repo_url and term.status != "official":
        parts.append(f'<p class="rr-entry-edit" data-pagefind-ignore><a class="rr-edit" href="{esc(edit_link(site, term.file))}">编辑此条目</a></p>')
    return h.title + f'<div class="rr-entry" data-basis="{h.basis}">\n{lines(parts)}</div>\n'


def brief_entries_html(site: Site, terms: list[Term], page: str, report: Report, paragraphs: ParagraphLinks) -> str:
    """Shared terms in a report's glossary, as a list: the term (linked to its full entry in the shared
    glossary), its short definition and where this report uses it. A list, not an entry each: a
    provincial report uses a thousand terms, and their full entries already stand in one place."""
    # The head of a shared term's item is the same in every report's glossary (all at one depth).
    heads = site.tables.brief_heads.setdefault(depth(page), {})
    places = paragraphs.by_term
    items = []
    for term in terms:
        head = heads.get(term.id)
        if head is None:
            h = term_html(site, term)
            head = heads[term.id] = (f'<dt id="{h.id}" data-basis="{h.basis}"><a href="{esc(entry_href(site, term, page))}">{h.term}</a> '
                                     f'{h.pinyin}</dt><dd>{h.short}{h.flag}')
        here = places.get(term.id)
        if here:
            items.append(f'{head}<br><span class="rr-backlinks">出现于：{here}</span></dd>')
        else:
            items.append(head + "</dd>")
    # Out of search: the full entries in the shared glossary are what a search for a term should find.
    return f'<dl class="rr-termlist rr-brief" data-pagefind-ignore>\n{lines(items)}</dl>\n'
