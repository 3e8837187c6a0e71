"""The site as the render layer sees it: every report, the terms and notes, where each report's
occurrences are, and the lookups pages share, each a named field (no table is keyed by a report id
and a fixed word in the same namespace)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from itertools import groupby
from operator import itemgetter
from typing import Any

from ..model import Anchor, Occurrence, Report, Term
from .paging import Paging


@dataclass
class ReportTables:
    """Lookups made for one report's pages, dropped once they are all made (see Tables.release)."""

    occurrences: "OccurrenceIndex | None" = None
    terms: list[Term] | None = None  # what the report's glossary lists
    noted: set[tuple[str, int]] | None = None  # (section, paragraph) holding a note
    screen_paragraphs: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)
    has_official: bool | None = None
    figure_places: dict[tuple[str, int], int] | None = None  # (section, paragraph) → figures in the 数据 table
    paragraph_links: dict[int, Any] = field(default_factory=dict)  # page depth → render.entries.ParagraphLinks


@dataclass
class Tables:
    """Lookups built on first use and shared by many pages. Those keyed by page depth hold links
    that read the same from every page at that depth."""

    reports: dict[str, ReportTables] = field(default_factory=dict)
    reports_by_term: dict[str, list[tuple[Report, int]]] | None = None
    order_keys: dict[str, tuple] = field(default_factory=dict)  # term id → (glossary order, initial)
    ranks: dict[str, tuple[int, str]] | None = None  # term id → (place in glossary order, initial)
    rank_of: dict[str, int] | None = None
    entry_sizes: dict[str, int] = field(default_factory=dict)
    scoped_terms: tuple[dict | None, int] = (None, 0)  # (scope → term ids, terms known when made)
    term_index: Paging | None = None
    home_report_by_scope: dict[Any, Report | None] = field(default_factory=dict)
    term_tags: dict[tuple[int, str, bool], tuple[dict, dict]] = field(default_factory=dict)
    shared_entry_hrefs: dict[int, dict[str, str]] = field(default_factory=dict)
    brief_heads: dict[int, dict[str, str]] = field(default_factory=dict)
    plain_term_items: dict[str, str] = field(default_factory=dict)
    index_reports: dict[str, tuple[dict, str]] | None = None
    index_hrefs: dict[int, dict[str, str]] = field(default_factory=dict)
    term_html: dict[str, Any] = field(default_factory=dict)  # term id → render.terms.TermHTML
    term_sources: dict[str, str] = field(default_factory=dict)  # term id → its sources as HTML

    def of(self, report_id: str) -> ReportTables:
        tables = self.reports.get(report_id)
        if tables is None:
            tables = self.reports[report_id] = ReportTables()
        return tables

    def release(self, report_id: str) -> None:
        """A worker renders hundreds of reports; keeping every report's tables held tens of MB."""
        self.reports.pop(report_id, None)


@dataclass
class Site:
    reports: list[Report]
    terms: dict[str, Term]
    occurrences: dict[str, list[Occurrence]]  # report id → occurrences
    anchors: dict[str, list[Anchor]]  # report id → notes anchored
    item_links: dict[tuple[str, int], list[tuple[str, str, int]]] = field(default_factory=dict)
    source_links: dict[tuple[str, int], tuple[str, str, int]] = field(default_factory=dict)
    repo_url: str = ""
    site_url: str = ""  # mkdocs.yml's: the CSV files give full addresses
    branch: str = "main"
    markers: dict[str, list] = field(default_factory=dict)  # report id → official_glossary.Marker ([1], 〔1〕)
    # The site's layout. A worker renders its own reports with their occurrences; the main process
    # renders the pages that span reports from these summaries of every report (see pipeline).
    term_counts: dict[str, Counter] = field(default_factory=dict)  # report id → term id → occurrences
    glossaries: dict[str, Paging] = field(default_factory=dict)  # report id → its glossary's pages
    shared_glossary: Paging | None = None
    home_entries: dict[str, str | None] = field(default_factory=dict)  # local term id → its entry for readers elsewhere
    report_labels: dict[str, str] = field(default_factory=dict)  # report id → short name
    holders: dict[str, int] = field(default_factory=dict)  # report id → the worker that analysed it
    tables: Tables = field(default_factory=Tables, repr=False, compare=False)


# Fields of an Occurrence, picked in C.
_TERM_ID, _SECTION, _PARAGRAPH = itemgetter(0), itemgetter(1), itemgetter(1, 2)


_PLACE = itemgetter(0, 1, 2, 5)  # term, section, paragraph, `within`


class OccurrenceIndex:
    """One report's occurrences by paragraph, by section (in reading order) and by term, each built
    on first use: pages ask for them per paragraph and per term, and filtering the whole list each
    time is quadratic. It lives where the report was analysed; the main process only gets `counts`
    (see term_counts)."""

    def __init__(self, report: Report, source: list[Occurrence]):
        self.report, self.source = report, source

    @cached_property
    def marked(self) -> dict[tuple[str, int], list[tuple[int, int, str]]]:
        """Marked (not nested) occurrences by paragraph, as (start, end, term id), in order of start."""
        table: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
        for place, group in groupby(self.source, _PARAGRAPH):  # reading order: a paragraph's are together
            marks = [(start, end, term_id) for term_id, _s, _p, start, end, within in group if not within]
            table.setdefault(place, []).extend(marks)
        return table

    @cached_property
    def paragraph_counts(self) -> dict[str, list[tuple[str, int, str, int]]]:
        """term id → (section, paragraph, within, how many times) in reading order: a glossary
        links each paragraph once, with “2 处” when the paragraph uses the term twice."""
        # Counted in C (itemgetter, Counter), in order of first use; then grouped by term.
        table: dict[str, list[tuple[str, int, str, int]]] = defaultdict(list)
        for (term_id, section, paragraph, within), n in Counter(map(_PLACE, self.source)).items():
            table[term_id].append((section, paragraph, within, n))
        return table

    @cached_property
    def terms_by_section(self) -> dict[str, dict[str, None]]:
        """Section slug → the ids of the terms it uses (marked or nested), in order of first use."""
        table: dict[str, dict[str, None]] = {}
        for slug, group in groupby(self.source, _SECTION):
            table.setdefault(slug, {}).update(dict.fromkeys(map(_TERM_ID, group)))
        return table

    @cached_property
    def counts(self) -> Counter[str]:
        """term id → occurrences (marked or nested), in order of first use."""
        return Counter(map(_TERM_ID, self.source))


def occurrence_index(site: Site, report: Report) -> OccurrenceIndex:
    occ = site.occurrences.get(report.id)
    if occ is None:  # the main process holds summaries only: an empty answer here would be wrong
        raise LookupError(f"report `{report.id}`: its occurrences are held by the process that analysed it")
    tables = site.tables.of(report.id)
    index = tables.occurrences
    if index is None or index.source is not occ:  # rebuilt if the occurrences were replaced
        index = tables.occurrences = OccurrenceIndex(report, occ)
    return index


def term_counts(site: Site, report: Report) -> Counter[str]:
    """term id → occurrences in the report, in order of first use."""
    counts = site.term_counts.get(report.id)
    if counts is None:
        counts = site.term_counts[report.id] = occurrence_index(site, report).counts
    return counts


def reports_using(site: Site, term_id: str) -> list[tuple[Report, int]]:
    """The reports a term occurs in, in site order, each with how many times."""
    table = site.tables.reports_by_term
    if table is None:
        table = site.tables.reports_by_term = defaultdict(list)
        for report in site.reports:
            for tid, n in term_counts(site, report).items():
                table[tid].append((report, n))
    return table.get(term_id, [])
