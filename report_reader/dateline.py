"""The title block as printed across wrapped lines: a dateline broken after 第十四届 or before 在…
(“——2026年1月26日在广东省第十四届” / “人民代表大会第五次会议上”) is joined into one line, so its
date, meeting and place are read like any other dateline."""

from __future__ import annotations

import re

from .patterns import DATE_TEXT, DATELINE_RE, HEADING_RE, OPENING_SALUTATION_RE

# The start of a dateline that does not end on its line: a dash or bracket, a date or 在, and no
# comma or stop (a dateline has none; prose that starts with a date does).
_LEAD_RE = re.compile(rf"^(?:[（(]?[—―\-－~～─]|[（(]?{DATE_TEXT}|[（(]?\d{{4}}年|在)")
_PROSE_RE = re.compile(r"[，,。！？；;]")
MAX_PARTS = 4  # a dateline wraps over at most this many lines
MAX_LEN = 80
SCAN = 25  # title blocks are at the top: only the first lines are looked at


def join_wrapped(lines: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], list[tuple[int, int]]]:
    """(lines with each wrapped dateline made one, (first, last) line numbers of each join).
    A join is made only when the joined text is a whole dateline and no part is a heading or the
    salutation: a line that merely starts with a date stays as it is."""
    out: list[tuple[int, str]] = []
    joins: list[tuple[int, int]] = []
    i = seen = 0
    while i < len(lines):
        n, line = lines[i]
        seen += bool(line)
        end = _wrapped_end(lines, i) if seen <= SCAN and _may_start(line) else None
        if end is None:
            out.append((n, line))
            i += 1
            continue
        out.append((n, "".join(s for _, s in lines[i:end + 1])))
        joins.append((n, lines[end][0]))
        i = end + 1
    return out, joins


def _may_start(line: str) -> bool:
    return bool(line) and len(line) <= MAX_LEN and bool(_LEAD_RE.match(line)) and not _PROSE_RE.search(line) \
        and not DATELINE_RE.match(line)


def _wrapped_end(lines: list[tuple[int, str]], i: int) -> int | None:
    """Index of the last line of a dateline starting at lines[i], None when it is not one."""
    joined, parts = lines[i][1], 1
    for j in range(i + 1, len(lines)):
        nxt = lines[j][1]
        if not nxt:
            continue
        if HEADING_RE.match(nxt) or OPENING_SALUTATION_RE.match(nxt) or parts >= MAX_PARTS or len(joined) > MAX_LEN:
            return None
        joined += nxt
        parts += 1
        if DATELINE_RE.match(joined):
            return j
    return None
