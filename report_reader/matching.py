"""Stage 4: terms and notes → positions in the report. One Aho-Corasick automaton scans each
paragraph once for all in-scope terms, so the cost per character does not grow with the number of
terms. Matching runs on a folded view of the text (quotes unified, full-width folded) that keeps
every offset, so what is found is exactly the report's own words."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import ahocorasick

from . import script
from .model import Anchor, Note, Occurrence, Problem, Report, Scope, Term
from .typography import fold

OPEN_QUOTES = "“「『‘\""
CLOSE_QUOTES = "”」』’\""


@dataclass
class Located:
    section: str
    paragraph: int
    start: int
    end: int


class TermMatcher:
    """All forms of a set of terms in one automaton, built once per build and process. A form names
    the terms that use it, in order; terms out of a report's scope are passed over at match time,
    so reports with different scopes share the automaton instead of building one each."""

    def __init__(self, terms: list[Term], view=None):
        """`view`: a further length-keeping map applied to every form (script.fold for matching a
        traditional-character copy: its folded text meets the simplified entries)."""
        self.automaton = ahocorasick.Automaton()
        owners: dict[str, list[str]] = {}
        quoted: dict[str, bool] = {}  # form → every entry writes it in quotes
        for term in terms:
            for form in term.forms:
                key, only_quoted = form_key(form)
                key = view(key) if view else key
                if key:
                    if term.id not in owners.setdefault(key, []):
                        owners[key].append(term.id)
                    quoted[key] = quoted.get(key, True) and only_quoted
        for key, ids in owners.items():
            # Whether a Latin letter or digit stands at either end: only then are word edges checked.
            edges = _alnum(key[0]) or _alnum(key[-1])
            self.automaton.add_word(key, (len(key), edges, quoted[key], ids[0], tuple(ids[1:])))
        self.empty = len(self.automaton) == 0
        if not self.empty:
            self.automaton.make_automaton()

    def candidates(self, folded: str, excluded: frozenset[str] = frozenset(), rank: int = 0) -> list[tuple]:
        """Every match in a folded text as (start, -length, rank, term id): sorted, leftmost first,
        longest first; `rank` orders matchers whose forms coincide (a report's own entries first)."""
        if self.empty:
            return []
        found = []
        last = len(folded) - 1
        for end_index, (length, edges, quoted, term_id, others) in self.automaton.iter(folded):
            start = end_index - length + 1
            if quoted and (start == 0 or end_index == last or folded[start - 1] != '"' or folded[end_index + 1] != '"'):
                continue
            if term_id in excluded:
                # A form shared by two entries with scopes that do not overlap: the first one in scope.
                term_id = next((t for t in others if t not in excluded), None)
                if term_id is None:
                    continue
            if edges and _alnum_edge(folded, start, end_index + 1):
                continue
            found.append((start, -length, rank, term_id))
        return found

    def find(self, text: str, excluded: frozenset[str] = frozenset()) -> list[tuple[int, int, str, str]]:
        """(start, end, term id, id of the longer term it is nested in or "") for one text."""
        return select(text, self.candidates(fold(text), excluded))


def form_key(form: str) -> tuple[str, bool]:
    """What a form matches in folded text, and whether only where the report quotes it. A form written
    in quotes (“两重”) is the words inside them, marked only between quotes: it then has the extent of
    the unquoted form a report's own 名词解释 entry has, which is preferred to it, and 两重性 stays
    unmarked. A quote inside a form (“三公”经费) is matched as written."""
    key = fold(form)
    if len(key) > 2 and key[0] == key[-1] == '"' and '"' not in key[1:-1]:
        return key[1:-1], True
    return key, False


def select(text: str, found: list[tuple]) -> list[tuple[int, int, str, str]]:
    """Leftmost-longest: a match inside a chosen one is recorded as nested, a partial overlap dropped;
    of two matches of the same extent (the same form in two matchers) the first ranked is kept."""
    found.sort()
    chosen: list[tuple[int, int, str, str]] = []
    # Marked matches never overlap and come in order of start, so only the latest one can hold
    # or cut the next match: one comparison each, not a scan of the paragraph's matches.
    outer_end, outer_id = -1, ""
    last = (-1, -1)
    for start, neg_length, _rank, term_id in found:
        end = start - neg_length
        if (start, end) == last:
            continue
        last = (start, end)
        if end <= outer_end:  # sorted by start, so start >= outer_start: inside the outer match
            if term_id != outer_id:
                chosen.append((start, end, term_id, outer_id))
            continue
        if start < outer_end:
            continue
        outer_end, outer_id = end, term_id
        # “五项保障” is marked with its quotes, so the mark covers the unit the reader sees.
        if start > 0 and end < len(text) and text[start - 1] in OPEN_QUOTES and text[end] in CLOSE_QUOTES:
            chosen.append((start - 1, end + 1, term_id, ""))
        else:
            chosen.append((start, end, term_id, ""))
    return chosen


def _alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _alnum_edge(text: str, start: int, end: int) -> bool:
    """Latin letters and digits keep word boundaries: "1+2+6+N" is not inside "11+2+6+N"."""
    return (_alnum(text[start]) and start > 0 and _alnum(text[start - 1])) or \
        (_alnum(text[end - 1]) and end < len(text) and _alnum(text[end]))


def find_occurrences(report: Report, terms: list[Term], cache: dict, own: list[Term] = ()) -> list[Occurrence]:
    """Every occurrence of a term in the report, in reading order: by
    section, paragraph and start. `terms`: the annotation entries, the same list for every report
    (`cache` belongs to it). `own`: the report's own 名词解释 entries, marked before annotation
    entries of the same form."""
    # A traditional-character copy is matched on the simplified fold of its text, against the
    # entries' forms folded the same way (a simplified form may hold a character the fold changes).
    view = script.fold if report.script == "traditional" else None
    matcher_key = "matcher" if view is None else "matcher traditional"
    shared = cache.get(matcher_key)
    if shared is None:
        shared = cache[matcher_key] = TermMatcher(terms, view)
    if "scopes" not in cache:
        # Most entries apply everywhere; the others are grouped by scope, and each scope is asked
        # about a report once (a few dozen scopes, hundreds of scoped entries).
        by_scope: dict[Scope, list[Term]] = {}
        for t in terms:
            if not t.scope.everywhere:
                by_scope.setdefault(t.scope, []).append(t)
        cache["scopes"] = list(by_scope.values())
        cache["excluded"] = {}
    outside = tuple(i for i, scoped in enumerate(cache["scopes"]) if not scoped[0].applies_to(report))
    excluded = cache["excluded"].get(outside)
    if excluded is None:
        excluded = cache["excluded"][outside] = frozenset(t.id for i in outside for t in cache["scopes"][i])
    mine = TermMatcher(own, view) if own else None
    out = []
    for section in report.sections:
        slug = section.slug
        for p in section.paragraphs:
            text = p.text
            folded = fold(text) if view is None else view(fold(text))
            found = shared.candidates(folded, excluded, 1)
            if mine is not None:
                found += mine.candidates(folded)
            for start, end, term_id, within in select(text, found):
                out.append(Occurrence(term_id, slug, p.number, start, end, within))
    return out


def locate(report: Report, quote: str, prefix: str = "", suffix: str = "") -> list[Located]:
    """Every place a quote stands in the report's paragraphs, filtered by prefix and suffix."""
    view = script.fold if report.script == "traditional" else str
    q, pre, suf = view(fold(quote)), view(fold(prefix)), view(fold(suffix))
    hits = []
    for section in report.sections:
        for p in section.paragraphs:
            text = view(fold(p.text))
            i = text.find(q)
            while i >= 0:
                if text[:i].endswith(pre) and text[i + len(q):].startswith(suf):
                    hits.append(Located(section.slug, p.number, i, i + len(q)))
                i = text.find(q, i + 1)
    return hits


def closest_passage(report: Report, quote: str) -> str:
    best, best_size = "", 0
    for section in report.sections:
        for p in section.paragraphs:
            m = difflib.SequenceMatcher(None, quote, p.text, autojunk=False).find_longest_match(0, len(quote), 0, len(p.text))
            if m.size > best_size:
                start = max(0, m.b - m.a)
                best, best_size = f"{section.slug} ¶{p.number}: “{p.text[start:start + len(quote) + 4]}”", m.size
    return best


def anchor_notes(report: Report, notes: list[Note], problems: list[Problem]) -> list[Anchor]:
    """Each note to exactly one passage; a missing or ambiguous quote is an error, never a guess."""
    anchors: list[Anchor] = []
    for note in notes:
        hits = locate(report, note.quote, note.prefix, note.suffix)
        if not hits:
            near = closest_passage(report, note.quote)
            problems.append(Problem(note.file, note.line, f"quote not found in report `{report.id}`"
                                    + (f"; closest passage: {near}" if near else ""),
                                    "copy the passage exactly from the report (see the raw text link on its page)"))
            continue
        if len(hits) > 1:
            where = "; ".join(f"{h.section} ¶{h.paragraph}: …{_context(report, h)}…" for h in hits)
            problems.append(Problem(note.file, note.line, f"quote found {len(hits)} times: {where}",
                                    "add `prefix:` or `suffix:` (the text just before or after) to choose one"))
            continue
        h = hits[0]
        anchors.append(Anchor(note, h.section, h.paragraph, h.start, h.end))
    order = {s.slug: i for i, s in enumerate(report.sections)}
    anchors.sort(key=lambda a: (order[a.section], a.paragraph, a.start, a.note.id))
    counters: dict[str, int] = {}
    for a in anchors:
        counters[a.section] = counters.get(a.section, 0) + 1
        a.number = counters[a.section]
    return anchors


def _context(report: Report, h: Located) -> str:
    section = next(s for s in report.sections if s.slug == h.section)
    text = section.paragraphs[h.paragraph - 1].text
    return text[max(0, h.start - 8): h.end + 8]
