"""The preview's memory of each report's analysis and rendered pages, so that a regeneration reads
and matches again only the seeds an edit touches (a seed, its sidecar or notes: that report; a
term's forms or scope: all), and renders again only the reports it touches (a term's definition: the
reports using it; a seed: that report).

An analysis is found by the store's key of the seed and sidecar, the terms as matching reads them
(all but their explanation, definition and sources) and the report's notes (pipeline._analysis_key).

A report's pages are found by a digest of everything they are made from, so a page is never reused
stale: the code; the site's settings (repo_url, site_url, branch); the layout every page shares
(the shared glossary's pages and where each entry is on them, where local entries live, item
passages, report names); the report as parsed (the store's key of the seed and sidecar it came
from, as stored.py keys it, or its pickle when they changed as it was read) and its raw bytes; its
occurrences, notes and markers; in full, every term it shows (those occurring in it, nested ones
included, the local and official entries in its scope, and the terms these name as related); and of
every other term what places it (id, words, forms, scope, category, status, file, related): only a
term's explanation, definition, items and sources are left out for a term the report does not show.
Values are hashed from their pickles, made without pickle's memo: two equal inputs that still
pickle differently (a set's order) only cost a render, two different inputs never share a digest.

Held in the preview's process (report_reader/serve.py), one entry per report, and used only when
that process renders the reports itself (one job): forked workers would lose what they learn."""

from __future__ import annotations

import hashlib
import io
import pickle
from dataclasses import replace

from .cache import code_digest
from .layout.paging import Paging
from .layout.plan import SiteLayout
from .layout.site import Site
from .model import Report, Term


class RenderedReports:
    def __init__(self) -> None:
        self._pages: dict[str, tuple[str, list[tuple[str, bytes]]]] = {}  # report id → (digest, pages)
        # seed file name → [(key, pipeline.ReportAnalysis)], the latest first: two, so that a file
        # broken then mended (analysed without it, then with it) finds the analysis made before
        self._analyses: dict[str, list[tuple[str, object]]] = {}
        self.reused = 0  # reports whose pages were reused, in the last build
        self.rendered = 0  # reports rendered, in the last build
        self.analysed = 0  # seeds analysed (read, matched), in the last build; the others' analyses reused

    def start(self) -> None:
        self.reused = self.rendered = self.analysed = 0

    def analysis(self, seed: str, key: str):
        """The analysis kept for `seed` under `key` (pipeline._analysis_key), or None. Reports are
        read from the store afresh otherwise; this one object is handed out again, so nothing that
        renders a report may change it (pages.py only reads it)."""
        kept = self._analyses.get(seed, [])
        for n, (made_for, analysis) in enumerate(kept):
            if made_for == key:
                kept.insert(0, kept.pop(n))  # the latest used first
                return analysis
        return None

    def keep_analysis(self, seed: str, key: str, analysis) -> None:
        self._analyses[seed] = [(key, analysis), *self._analyses.get(seed, ())][:2]

    def get(self, report_id: str, digest: str) -> list[tuple[str, bytes]] | None:
        found = self._pages.get(report_id)
        if found is not None and found[0] == digest:
            self.reused += 1
            return found[1]
        return None

    def put(self, report_id: str, digest: str, pages: list[tuple[str, bytes]]) -> None:
        self._pages[report_id] = (digest, pages)
        self.rendered += 1

    def forget(self, report_ids: set[str]) -> None:
        """Reports no longer in the site: their pages are not kept."""
        for gone in set(self._pages) - report_ids:
            del self._pages[gone]
        for seed in [s for s in self._analyses if s[:-len(".txt")] not in report_ids]:
            del self._analyses[seed]


def _part(h, data: bytes) -> None:
    h.update(len(data).to_bytes(8, "little"))  # lengths first: no two lists of parts hash alike
    h.update(data)


def dump(value) -> bytes:
    """The pickle of `value` alone: without the memo, an object met twice is written twice, so the
    bytes do not depend on which equal parts happen to be one object (read from the store or made)."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(value)
    return out.getvalue()


def layout_key(plan: SiteLayout) -> bytes:
    """The layout as the reports' pages read it: the shared glossary's pages without their sizes,
    which decide only where it is cut (and the cuts, `page_of`, are kept)."""
    shared = plan.shared_glossary
    pages = [replace(p, size=0) for p in shared.pages]
    return dump(replace(plan, shared_glossary=Paging(pages, shared.page_of, shared.letter_page)))


def placing(terms: dict[str, Term]) -> bytes:
    """What every term contributes to every page: all but its explanation, definition, items and
    sources (a page shows those only of the terms it lists, which `digest` takes in full)."""
    return dump([replace(t, short="", explanation="", explanation_html="", items=[], sources=[])
                  for t in terms.values()])


def analysis_terms(terms: list[Term]) -> bytes:
    """The terms as matching a report reads them: all but what they explain and cite."""
    return dump([replace(t, short="", explanation="", explanation_html="", sources=[]) for t in terms])


def analysis_digest(terms: bytes, notes: list) -> str:
    """What a report's analysis reads besides its seed: `terms` (analysis_terms) and its notes."""
    h = hashlib.blake2b(code_digest().encode(), digest_size=20)
    _part(h, terms)
    _part(h, dump(notes))
    return h.hexdigest()


def term_digests(terms: dict[str, Term]) -> dict[str, bytes]:
    """Each term's digest, made once per build: a report's digest takes those of the terms it shows."""
    return {tid: hashlib.blake2b(dump(t), digest_size=20).digest() for tid, t in terms.items()}


def shown_terms(site: Site, report: Report) -> list[str]:
    """The ids of the terms `report`'s pages show in full."""
    ids: set[str] = set()
    for o in site.occurrences.get(report.id, ()):
        ids.add(o.term_id)
        if o.within:
            ids.add(o.within)
    ids.update(t.id for t in site.terms.values() if not t.scope.everywhere and t.applies_to(report))
    for tid in list(ids):
        term = site.terms.get(tid)
        if term is not None:
            ids.update(term.related)
    return sorted(tid for tid in ids if tid in site.terms)


def digest(site: Site, report: Report, raw: bytes, inputs: str, layout: bytes, placed: bytes,
           terms: dict[str, bytes]) -> str:
    """The digest of everything `report`'s pages are made from. `inputs`: the store's key of the
    seed and sidecar the report came from (the report is all they give), or "" to take the
    report's pickle. `layout`, `placed` and `terms` are `layout_key` of the build's layout,
    `placing(site.terms)` and `term_digests(site.terms)`, made once per build."""
    h = hashlib.blake2b(code_digest().encode(), digest_size=20)
    shown = b"".join(tid.encode() + b"\0" + terms[tid] for tid in shown_terms(site, report))
    for data in (f"{site.repo_url}\0{site.site_url}\0{site.branch}".encode(), layout, placed, raw,
                 inputs.encode() if inputs else dump(report),
                 dump((site.occurrences.get(report.id), site.anchors.get(report.id), site.markers.get(report.id))),
                 shown):
        _part(h, data)
    return h.hexdigest()
