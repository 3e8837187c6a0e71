"""Glossary layout, decided before any page renders: the order of entries, how each glossary and
the term index are cut into pages, and the inventory of terms (as Sphinx's glossary: each term one
target, page#anchor, and every reference to it resolved here, by entry_path and entry_href)."""

from __future__ import annotations

from collections import defaultdict

from ..annotations import initial, sort_key
from ..model import Report, Term
from .paging import Paging, paginate
from .site import Site, reports_using, term_counts
from .urls import SHARED_GLOSSARY, TERM_INDEX, anchor, depth, glossary_base, page_file, rel

def glossary_order(term: Term) -> tuple:
    """Pinyin order, A to Z, then entries that start with a digit (1+2+6+N) under 数字."""
    return (initial(term) == "#", sort_key(term))


def _ranks(site: Site) -> dict[str, tuple[int, str]]:
    """Each term's place in glossary order and its initial: every report's glossary sorts a thousand
    terms, and the pinyin key is not cheap. Made again when terms were added (a worker learns a
    report's own 名词解释 entries as it analyses the report); ties keep the order terms were added."""
    ranks = site.tables.ranks
    if ranks is None or len(ranks) != len(site.terms):
        keys = site.tables.order_keys
        for t in site.terms.values():
            if t.id not in keys:
                keys[t.id] = (glossary_order(t), initial(t))
        order = sorted(site.terms, key=lambda tid: keys[tid][0])
        ranks = site.tables.ranks = {tid: (i, keys[tid][1]) for i, tid in enumerate(order)}
        site.tables.rank_of = None
    return ranks


def _rank_of(site: Site) -> dict[str, int]:
    ranks = _ranks(site)
    rank = site.tables.rank_of
    if rank is None:
        rank = site.tables.rank_of = {tid: r for tid, (r, _) in ranks.items()}
    return rank


def _sorted_terms(site: Site, terms) -> list[Term]:
    rank = _rank_of(site)
    return sorted(terms, key=lambda t: rank[t.id])


def _letters(site: Site, terms: list[Term]) -> list[str]:
    ranks = _ranks(site)
    return [ranks[t.id][1] for t in terms]


def _term_size(term: Term, occurrences: int, full: bool) -> int:
    """Bytes of Markdown an entry takes, estimated (pages are cut before they are rendered)."""
    n = 250 + 6 * (len(term.term) + len(term.short)) + 75 * occurrences
    if full:
        n += 650 + 3 * len(term.explanation) + 250 * len(term.sources) + 200 * len(term.items) + 80 * len(term.related)
    return n


def _entry_sizes(site: Site) -> dict[str, int]:
    """Each term's size in a report's glossary less its occurrences (75 bytes each): a full entry
    for local terms, a brief one for shared terms. Computed once per term, not once per report."""
    sizes = site.tables.entry_sizes
    if len(sizes) != len(site.terms):
        for t in site.terms.values():
            if t.id not in sizes:
                sizes[t.id] = _term_size(t, 0, not t.scope.everywhere)
    return sizes


SHARED_LISTED = 5  # a shared entry names up to this many reports; more are counted and left to the index


def shared_terms_paging(site: Site) -> Paging[Term]:
    paging = site.shared_glossary
    if paging is None:
        terms = _sorted_terms(site, (t for t in site.terms.values() if t.scope.everywhere))
        paging = site.shared_glossary = paginate(
            SHARED_GLOSSARY, terms, [t.id for t in terms], _letters(site, terms),
            [_term_size(t, min(len(reports_using(site, t.id)), SHARED_LISTED + 1), True) for t in terms])
    return paging


def report_terms(site: Site, report: Report) -> list[Term]:
    """The terms a report's glossary lists: every term it uses, and its local entries even unused."""
    tables = site.tables.of(report.id)
    if tables.terms is None:
        tables.terms = _report_terms(site, report)
    return tables.terms


def _report_terms(site: Site, report: Report) -> list[Term]:
    ids = dict.fromkeys(term_counts(site, report))
    by_scope, known = site.tables.scoped_terms
    if by_scope is None or known != len(site.terms):  # made again when terms were added
        by_scope = defaultdict(list)
        for t in site.terms.values():
            if not t.scope.everywhere:
                by_scope[t.scope].append(t.id)
        site.tables.scoped_terms = (by_scope, len(site.terms))
    for ids_in_scope in by_scope.values():  # a scope is asked about once, not once per term
        if site.terms[ids_in_scope[0]].applies_to(report):
            ids.update(dict.fromkeys(ids_in_scope))
    rank = _rank_of(site)
    return [site.terms[i] for i in sorted(ids, key=rank.__getitem__)]


def report_terms_paging(site: Site, report: Report) -> Paging[Term]:
    paging = site.glossaries.get(report.id)
    if paging is None:
        counts = term_counts(site, report)
        base = _entry_sizes(site)
        terms = report_terms(site, report)
        ids = [t.id for t in terms]
        paging = site.glossaries[report.id] = paginate(
            glossary_base(report), terms, ids, _letters(site, terms),
            [base[i] + 75 * counts[i] for i in ids])
    return paging


def index_paging(site: Site) -> Paging[Term]:
    paging = site.tables.term_index
    if paging is None:
        terms = [t for t in _sorted_terms(site, site.terms.values()) if reports_using(site, t.id)]
        paging = site.tables.term_index = paginate(
            TERM_INDEX, terms, [t.id for t in terms], _letters(site, terms),
            [300 + 6 * len(t.term) + 110 * len(reports_using(site, t.id)) for t in terms])
    return paging


def home_entry(site: Site, term: Term) -> str | None:
    """Where readers coming from elsewhere find a local term's full entry: in the glossary of the first
    report in its scope (None when no report is)."""
    if term.id not in site.home_entries:
        homes = site.tables.home_report_by_scope  # a scope is looked up once
        if term.scope not in homes:
            homes[term.scope] = next((r for r in site.reports if term.applies_to(r)), None)
        home = homes[term.scope]
        site.home_entries[term.id] = report_terms_paging(site, home).page_of.get(term.id) if home else None
    return site.home_entries[term.id]


def entry_path(site: Site, term: Term, report: Report | None = None) -> str | None:
    """The page that holds a term's full entry; for a local term, in `report`'s glossary when in scope."""
    if term.scope.everywhere:
        return shared_terms_paging(site).page_of[term.id]
    if report is not None and term.applies_to(report):
        return report_terms_paging(site, report).page_of.get(term.id)
    return home_entry(site, term)


def entry_href(site: Site, term: Term, page: str, report: Report | None = None) -> str:
    if term.scope.everywhere:
        path = entry_path(site, term)
        if path == page:
            return f"#{term.id}"
        # Every page but the home page sits under reports/, so from all pages at one depth a shared
        # entry has the same address: made once per depth, not once per page and term.
        cache = site.tables.shared_entry_hrefs.setdefault(depth(page), {})
        href = cache.get(term.id)
        if href is None:
            href = cache[term.id] = anchor(page, path, term.id)
        return href
    path = entry_path(site, term, report)
    if path is None:  # a local entry whose scope matches no report: no page holds it
        return rel(page, page_file(TERM_INDEX))
    return anchor(page, path, term.id)


def report_entry_href(site: Site, term: Term, report: Report, page: str) -> str:
    """Where a report's glossary lists a term (its occurrences in that report)."""
    return anchor(page, report_terms_paging(site, report).page_of[term.id], term.id)
