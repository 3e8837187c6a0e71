"""A report's own glossary: the 名词解释 / 注释 block many reports end with (numbered entries such as
`1.“两重”：是指…` or `〔1〕…`), read into glossary entries scoped to that report with status
"official", and the markers in its text ([1], 〔1〕) that point at them.

structure.py calls `find_block` so the block is not read as report sections; the pipeline calls
`read` to turn the block into Terms and Markers. The entries' words are kept verbatim."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .matching import form_key
from .model import Problem, Report, Scope, Term

RULE = "official glossary"
# A title line: 名词解释 / 注释 / 附：名词解释 / 本报告有关名词解释 …, or "注：" running into the first entry.
TITLE_RE = re.compile(r"^(?:附[:：]?\s*)?(?:[一二三四五六七八九十]+、\s*)?(?:本报告|《?政府工作报告》?)?(?:有关|相关|部分)?"
                      r"(?:名词(?:术语)?解释|名词注释|词语解释|注释|注解|释义|注)(?:说明)?\s*[:：]?\s*(?P<rest>.*)$")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_NUMBER = (r"(?:(?P<n1>\d{1,3})[.．、]|[〔\[［【(（](?P<n2>\d{1,3})[〕\]］】)）]|(?P<n3>[" + CIRCLED + "]))")
ENTRY_START_RE = re.compile(r"^" + _NUMBER + r"\s*")
BRACKETED_START_RE = re.compile(r"^[〔\[［](\d{1,3})[〕\]］]")
# The term: the words before the first colon — one or more quoted forms (the first is the term, the
# rest variants), or plain words; or, without a colon, quoted forms or a 《title》 followed by 是指….
QUOTED_RE = re.compile(r"[“\"「『]([^”\"」』]{1,40})[”\"」』]")
COLON_RE = re.compile(r"^(?P<head>[^：:。；;！？，,]{1,40}?)\s*[:：]\s*(?P<text>.+)$")
_FORMS = r"(?:[“\"「『][^”\"」』]{1,40}[”\"」』]\s*[、，,和及与]?\s*)+"
FORMS_RE = re.compile(rf"^{_FORMS}$")
LEADING_FORMS_RE = re.compile(rf"^(?P<head>{_FORMS}|《[^》]{{1,40}}》)\s*(?P<text>.+)$")
DEFINING_RE = re.compile(r"^(?:是指|指的是|指|即|是|为|意为|也称|简称|系)")
MARKER_RE = re.compile(r"\[(\d{1,3})\]|［(\d{1,3})］|〔(\d{1,3})〕|【(\d{1,3})】")
CIRCLED_MARKER_RE = re.compile(MARKER_RE.pattern + f"|([{CIRCLED}])")


@dataclass
class Entry:
    number: int
    term: str
    variants: list[str]
    text: str  # the explanation, verbatim (continuation lines joined with a line break)
    line: int


@dataclass
class Marker:
    """A note marker in the report's text: [start, end) offsets into Paragraph.text."""

    term_id: str
    section: str
    paragraph: int
    start: int
    end: int
    number: int


@dataclass
class OfficialGlossary:
    terms: list[Term] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _number(m: re.Match) -> int:
    if m.group("n3"):
        return CIRCLED.index(m.group("n3")) + 1
    return int(m.group("n1") or m.group("n2"))


def parse_entry(text: str) -> tuple[int | None, str, list[str], str] | None:
    """`1.“两重”：是指…` → (1, 两重, [], 是指…); None when no term can be read."""
    number = None
    m = ENTRY_START_RE.match(text)
    if m:
        number, text = _number(m), text[m.end():]
    c = COLON_RE.match(text)
    lead = LEADING_FORMS_RE.match(text)
    if c and not (lead and DEFINING_RE.match(text[lead.end("head"):].lstrip())):
        head, body = c.group("head").strip(), c.group("text")
        forms = QUOTED_RE.findall(head) if FORMS_RE.match(head) else [head]
    elif lead:
        head, body = lead.group("head"), lead.group("text")
        forms = QUOTED_RE.findall(head) or [head.strip()]
    else:
        return None
    forms = [f.strip() for f in forms if f.strip()]
    if not forms or not body.strip():
        return None
    return number, forms[0], forms[1:], body


def find_block(lines: list[tuple[int, str]], path: str, view=str) -> tuple[list[int], list[Problem]]:
    """Seed line numbers of the report's own glossary (title line and entries), or [] when there is
    none or it cannot be read, in which case it stays ordinary text and a warning says why. `view`:
    how the lines are read (script.fold for a traditional-character copy; the same length)."""
    start, first_entry = _block_start([(n, view(s)) for n, s in lines] if view is not str else lines)
    if start is None:
        return [], []
    end = next((i for i in range(first_entry, len(lines)) if re.match(r"^[一二三四五六七八九十]+、", lines[i][1])), len(lines))
    entries, problems = _read_entries(lines[start:end], path)
    if problems:
        return [], problems
    if not entries:
        return [], []
    return [n for n, _ in lines[start:end]], []


def _block_start(lines) -> tuple[int | None, int]:
    """The last title line followed by an entry; else a closing run of 〔1〕/[1] entries."""
    for i in range(len(lines) - 1, -1, -1):
        m = TITLE_RE.match(lines[i][1])
        if not m:
            continue
        rest = m.group("rest")
        if rest:
            if ENTRY_START_RE.match(rest) and parse_entry(rest):
                return i, i
            continue
        if i + 1 < len(lines) and (ENTRY_START_RE.match(lines[i + 1][1]) or _unnumbered_entry(lines[i + 1][1])):
            return i, i + 1
    for i, (_, text) in enumerate(lines):
        m = BRACKETED_START_RE.match(text)
        if m and int(m.group(1)) == 1 and all(BRACKETED_START_RE.match(t) or not ENTRY_START_RE.match(t)
                                               for _, t in lines[i:]) and parse_entry(text):
            return i, i
    return None, 0


def _unnumbered_entry(text: str) -> bool:
    """“两重”：是指… without a number: an entry when it opens with a quoted term or a 《title》."""
    parsed = text[:1] in "“\"「『《" and parse_entry(text)
    return bool(parsed) and parsed[0] is None


def _read_entries(block, path) -> tuple[list[Entry], list[Problem]]:
    entries: list[Entry] = []
    problems: list[Problem] = []
    unnumbered = False
    for k, (n, text) in enumerate(block):
        if k == 0:
            m = TITLE_RE.match(text)
            if m and not BRACKETED_START_RE.match(text):
                text = m.group("rest")
                if not text:
                    continue
        if (unnumbered or not entries) and _unnumbered_entry(text):
            unnumbered = True
            _, term, variants, body = parse_entry(text)
            entries.append(Entry(len(entries) + 1, term, variants, body, n))
        elif ENTRY_START_RE.match(text) and not unnumbered:
            parsed = parse_entry(text)
            if parsed is None:
                problems.append(Problem(path, n, f"名词解释 entry “{text[:20]}…” has no term before its explanation; "
                                        "the block is kept as ordinary report text",
                                        f"rule `{RULE}`: write the entry as 1.“term”：explanation", "warning"))
                return [], problems
            number, term, variants, body = parsed
            expected = len(entries) + 1
            if number != expected:
                problems.append(Problem(path, n, f"名词解释 entry numbered {number} where {expected} was expected; "
                                        "the block is kept as ordinary report text",
                                        f"rule `{RULE}`: number the entries 1, 2, 3 …", "warning"))
                return [], problems
            entries.append(Entry(number, term, variants, body, n))
        elif entries:  # an explanation running over several lines
            entries[-1].text += "\n" + text
        else:
            return [], problems
    return entries, problems


def term_id(report_id: str, number: int) -> str:
    """`--` never occurs in an annotation id, so a report's own entries cannot collide with them."""
    return f"{report_id}--{number}"


def read(report: Report, to_pinyin=None) -> OfficialGlossary:
    """The report's own glossary as Terms (scope report:<id>, status official) and its text's markers."""
    out = OfficialGlossary()
    lines = set(report.glossary_lines)
    if not lines:
        return out
    block = [(n, s) for n, s in report.source.lines if n in lines]
    entries, out.problems = _read_entries(block, report.source.path)
    circled = any(s[:1] in CIRCLED for _, s in block)  # ① in the notes: ① in the text is a marker too
    markers = CIRCLED_MARKER_RE if circled else MARKER_RE
    for e in entries:
        out.terms.append(Term(
            id=term_id(report.id, e.number), term=e.term, english="", category="general", short=e.text,
            scope=Scope("report", report.id), status="official", file=report.source.path,
            pinyin=to_pinyin(e.term) if to_pinyin else "", variants=e.variants, line=e.line))
    by_number = {e.number: term_id(report.id, e.number) for e in entries}
    for section in report.sections:
        for p in section.paragraphs:
            for m in markers.finditer(p.text):
                g = next(g for g in m.groups() if g)
                number = CIRCLED.index(g) + 1 if g in CIRCLED else int(g)
                if number in by_number:
                    out.markers.append(Marker(by_number[number], section.slug, p.number, m.start(), m.end(), number))
                else:
                    out.problems.append(Problem(report.source.path, p.line, f"marker “{m.group(0)}” has no entry "
                                                f"numbered {number} in the report's 名词解释; left as text",
                                                f"rule `{RULE}`", "warning"))
    return out


def shadowed(official: list[Term], others: list[Term], report: Report) -> list[Problem]:
    """An annotation entry with the same form as the report's own entry is not marked in that report."""
    own = {form_key(f)[0]: t for t in official for f in t.forms}
    if not own:  # most reports have no glossary of their own: skip folding every entry for each
        return []
    problems = []
    for t in others:
        if t.applies_to(report) and any(form_key(f)[0] in own for f in t.forms):
            problems.append(Problem(t.file, None, f"“{t.term}” is explained by report `{report.id}` itself; that report "
                                    "marks the report's own explanation, not this entry",
                                    f"rule `{RULE}`: nothing to do, or narrow this entry's scope", "warning"))
    return problems
