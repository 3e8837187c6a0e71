"""HTML pieces the pages are made of: a paragraph with its spans (see spans.py), plain text from
HTML. Everything here escapes the report's words and never changes them."""

from __future__ import annotations

import html
import re
from operator import itemgetter
from typing import NamedTuple

import nh3


from ..escaping import esc, needs_escape
from ..typography import display

ENUM_RE = re.compile(r"(?<![^，,；;：:。\s])([一二三四五六七八九十]是)(?=[\u4e00-\u9fff“])")


def plain(html_text: str, limit: int = 0) -> str:
    text = html.unescape(nh3.clean(html_text, tags=set()))
    text = re.sub(r"\s+", " ", text).strip()
    return text if not limit or len(text) <= limit else text[: limit - 1] + "…"


class Span(NamedTuple):
    """A mark over [start, end) of a paragraph: a named tuple, as a large site makes a million."""

    start: int
    end: int
    open: str
    close: str
    rank: int  # among spans with the same extent, lower ranks enclose higher (see spans.SPANS)


_START = itemgetter(0)


def paragraph_html(text: str, spans: list[Span]) -> str:
    """The paragraph's words, display typography applied, with properly nested spans (Span or plain
    tuples of its fields)."""
    shown = display(text)
    spans = sorted(spans, key=_START)
    pos = 0
    for span in spans:
        if span[0] < pos:  # an overlap: a note mark around terms, say
            return _nested_html(shown, spans)
        pos = span[1]
    # Side by side, as nearly every paragraph's marks are: words and tags simply alternate.
    out: list[str] = []
    pos = 0
    if not needs_escape(shown):
        for start, end, open_, close, _ in spans:
            out += (shown[pos:start], open_, shown[start:end], close)
            pos = end
        out.append(shown[pos:])
    else:
        for start, end, open_, close, _ in spans:
            out += (esc(shown[pos:start]), open_, esc(shown[start:end]), close)
            pos = end
        out.append(esc(shown[pos:]))
    return "".join(out)


def _nested_html(shown: str, spans: list[Span]) -> str:
    spans = sorted(map(Span._make, spans), key=lambda s: (s.start, -s.end, s.rank))
    out: list[str] = []
    stack: list[Span] = []
    pos = 0
    for span in spans:
        pos = _close_before(span.start, stack, shown, pos, out)
        out.append(esc(shown[pos:span.start]))
        pos = span.start
        out.append(span.open)
        stack.append(span)
    pos = _close_before(len(shown), stack, shown, pos, out)
    out.append(esc(shown[pos:]))
    return "".join(out)


def _close_before(at: int, stack: list[Span], shown: str, pos: int, out: list[str]) -> int:
    """Closes the open spans that end by `at`, innermost first; returns where the words stand."""
    while stack and stack[-1].end <= at:
        top = stack.pop()
        out.append(esc(shown[pos:top.end]))
        pos = top.end
        out.append(top.close)
    return pos


def enumerator_spans(text: str, taken: list[Span], rank: int) -> list[Span]:
    """一是 / 二是 … in running text, set in bold so the enumeration can be followed, unless a term
    or note already marks those words."""
    spans = []
    for m in ENUM_RE.finditer(text):
        if any(s[0] < m.end() and m.start() < s[1] for s in taken):
            continue
        spans.append(Span(m.start(), m.end(), '<b class="rr-enum">', "</b>", rank))
    return spans
