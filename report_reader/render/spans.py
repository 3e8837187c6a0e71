"""What marks a paragraph: span producers, registered by name with a priority (as Python-Markdown's
util.Registry). Each producer gets the paragraph and the spans made before it, and returns its own;
its `rank` says how its spans nest with others over the same words (lower ranks enclose higher).
A feature that marks words (a figure, a source) registers a producer here."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from ..escaping import esc
from ..layout.site import Site, occurrence_index
from ..model import Paragraph, Report, Section
from ..annotation_markdown import sanitize_markdown
from .html import Span, enumerator_spans, plain
from .terms import TermTags


class Place(NamedTuple):
    """One paragraph as it is being marked: its text from `offset` on, `length` characters long
    (a lead and the body after it are marked apart). A named tuple: one is made per paragraph."""

    site: Site
    report: Report
    section: Section
    paragraph: Paragraph
    length: int
    offset: int
    tags: TermTags


Producer = Callable[[Place, list[Span], int], list[Span]]  # (place, spans so far, rank) → new spans


class Registered(NamedTuple):
    name: str
    produce: Producer
    priority: int  # higher runs first
    rank: int


class Registry:
    """Named, prioritised span producers."""

    def __init__(self) -> None:
        self._items: dict[str, Registered] = {}
        self._order: list[Registered] = []

    def register(self, name: str, produce: Producer, priority: int, rank: int) -> None:
        self._items[name] = Registered(name, produce, priority, rank)
        self._order = sorted(self._items.values(), key=lambda r: -r.priority)

    def deregister(self, name: str) -> None:
        del self._items[name]
        self._order = sorted(self._items.values(), key=lambda r: -r.priority)

    def __iter__(self):
        return iter(self._order)

    def names(self) -> list[str]:
        return [r.name for r in self._order]


def spans_for(place: Place, registry: "Registry | None" = None) -> list[Span]:
    """Every producer's spans for one paragraph, shifted by the place's offset, within its length."""
    spans: list[Span] = []
    for producer in registry or SPANS:
        spans += producer.produce(place, spans, producer.rank)
    return spans


def term_spans(place: Place, taken: list[Span], rank: int) -> list[Span]:
    """The report's terms, each linked to its entry."""
    offset, length = place.offset, place.length
    known, tag = place.tags.tags.get, place.tags.by_id
    marked = occurrence_index(place.site, place.report).marked.get((place.section.slug, place.paragraph.number), ())
    # Plain tuples, the fields of Span: a provincial report has thousands of marks.
    return [(start - offset, end - offset, known(term_id) or tag(term_id), "</a>", rank)
            for start, end, term_id in marked if start >= offset and end - offset <= length]


def official_ref_spans(place: Place, taken: list[Span], rank: int) -> list[Span]:
    """[1] / 〔1〕: links to the report's own 名词解释 entry."""
    spans = []
    site, slug, number = place.site, place.section.slug, place.paragraph.number
    for mk in site.markers.get(place.report.id, ()):
        start, end = mk.start - place.offset, mk.end - place.offset
        if mk.section != slug or mk.paragraph != number or start < 0 or end > place.length:
            continue
        term = site.terms[mk.term_id]
        href = place.tags.href(term)
        spans.append(Span(start, end, f'<sup class="rr-official-ref"><a href="{href}" data-tip="{esc(term.term + "：" + term.short)}" '
                                      f'aria-label="名词解释：{esc(term.term)}">', "</a></sup>", rank))
    return spans


def note_spans(place: Place, taken: list[Span], rank: int) -> list[Span]:
    """Passages with a note: marked, with a numbered call. A mark never cuts a term in two: it grows
    to hold it; overlapping marks become one, carrying every call."""
    slug, number = place.section.slug, place.paragraph.number
    notes_here = [a for a in place.site.anchors.get(place.report.id, ()) if a.section == slug and a.paragraph == number]
    if not notes_here:
        return []
    extents = [(s[0], s[1]) for s in taken]
    marks = []
    for a in notes_here:
        start, end = a.start - place.offset, a.end - place.offset
        if end <= 0 or start >= place.length:
            continue
        start, end = max(start, 0), min(end, place.length)
        for ts, te in extents:
            if ts < end and start < te:
                start, end = min(start, ts), max(end, te)
        tip = plain(sanitize_markdown(a.note.body), 160)
        nid = f"{place.tags.id_prefix}n{a.number}"
        marks.append(Span(start, end, '<mark class="rr-noted">',
                          f'</mark><sup class="rr-noteref"><a id="{nid}-ref" href="#{nid}" data-tip="{esc(tip)}" '
                          f'aria-label="注释 {a.number}">[{a.number}]</a></sup>', rank))
    return _merged(marks)


def _merged(marks: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for m in sorted(marks, key=lambda s: (s.start, s.end)):
        if merged and m.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, m.end), last.open, last.close + m.close.replace("</mark>", ""), m.rank)
        else:
            merged.append(m)
    return merged


def enumerator_spans_here(place: Place, taken: list[Span], rank: int) -> list[Span]:
    text = place.paragraph.text[place.offset:place.offset + place.length]
    return enumerator_spans(text, taken, rank)


SPANS = Registry()
SPANS.register("terms", term_spans, priority=40, rank=2)
SPANS.register("official refs", official_ref_spans, priority=30, rank=3)
SPANS.register("notes", note_spans, priority=20, rank=1)
SPANS.register("enumerators", enumerator_spans_here, priority=10, rank=5)
