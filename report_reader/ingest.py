"""Stage 1: seed bytes → SourceText. Checks the encoding, removes page furniture by the rules
in furniture.yml (plus a sidecar's), and records every removed line with its rule."""

from __future__ import annotations

import re
from pathlib import Path

from . import dateline, pdftext, script
from .furniture_rules import Rules, load_rules
from .inputs import control_problem
from .model import Problem, RemovedLine, SourceText
from .patterns import (DATE_LINE_RE, DATELINE_RE, HEADING_RE, OPENING_SALUTATION_RE, SALUTATION_RE, SPEAKER_RE,
                       is_sentence_line)

TITLE_RE = re.compile(r"政府工作报告")
REPEAT_MIN = 15  # a line this long is not repeated by a report; shorter ones (各位代表！) may be


def decode(data: bytes, path: str) -> tuple[str | None, Problem | None]:
    """UTF-8 with or without BOM, LF or CRLF; anything else is a one-line problem."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem(path, None, "the file is UTF-16 encoded, not UTF-8",
                             "save it as UTF-8, e.g. `iconv -f UTF-16 -t UTF-8 in.txt > out.txt`")
    if b"\x00" in data[:8192]:
        return None, Problem(path, None, "this is a binary file, not text",
                             "seeds/ takes plain-text reports (.txt, UTF-8)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        guess = ""
        try:
            if re.search(r"[\u4e00-\u9fff]", data.decode("gb18030")):
                guess = "; it reads as GBK/GB18030 Chinese"
        except UnicodeDecodeError:
            pass
        return None, Problem(path, line, f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}){guess}",
                             "convert it, e.g. `iconv -f GB18030 -t UTF-8 in.txt > out.txt`")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return None, Problem(path, None, "the file is empty", "put the report's text in it, UTF-8 encoded")
    control = control_problem(text, path)  # anywhere in the text, not only where the binary test looks
    if control:
        return None, control
    return text, None


# ---------------------------------------------------------------- line rules

def strip_furniture(text: str, path: str, report_id: str, rules: Rules) -> SourceText:
    src = SourceText(path=path, report_id=report_id, raw=text, lines=[])
    page_numbers = [rx for name, rx in rules.drop_pattern if name == pdftext.PAGE_NUMBER_RULE]
    lines, paged = pdftext.drop_page_furniture(text.split("\n"), page_numbers, src, rules.on(pdftext.RUNNING_HEADER_RULE))
    numbered = _unwrap(lines, src, paged) if rules.on("wrapped lines") else [(n, s.strip()) for n, s in lines]
    numbered = _join_split_lines(numbered, rules, src)
    if rules.on("wrapped dateline"):
        numbered, joins = dateline.join_wrapped(numbered)
        src.warnings += [Problem(path, first, f"joined the dateline wrapped over lines {first}–{last}",
                                 "rule `wrapped dateline`: switch it off with a sidecar "
                                 "`furniture.disable: [wrapped dateline]`", "warning") for first, last in joins]
    kept: list[tuple[int, str]] = []
    block: dict | None = None
    after: str | None = None
    listing: tuple[str, int] | None = None  # (rule, first line) of a related-links list being removed
    pending_capture: str | None = None
    begun = False  # report prose seen: footer rules apply only from here on
    forced: set[int] = set()  # lines a keep_pattern kept: no later stage removes them either

    def drop(n, line, rule):
        src.removed.append(RemovedLine(n, line, rule))

    for n, line in numbered:
        if not line:
            continue
        if any(p.search(line) for p in rules.keep_pattern):
            kept.append((n, line))
            forced.add(n)
            continue
        if after:
            drop(n, line, after)
            continue
        if block:
            if len(line) <= block["max_len"]:
                drop(n, line, block["name"])
                if block["end"].search(line):
                    block = None
                continue
            block = None  # a widget that never closed ends at the first line of real length
        if listing:
            if not _resumes_report(line):
                drop(n, line, listing[0])
                continue
            if listing[1] < n - 1:
                src.warnings.append(Problem(path, n, f"report text resumes after a “{listing[0]}” list; lines "
                                            f"{listing[1]}–{n - 1} were removed as its items",
                                            f"rule `{listing[0]}`: if one of them is report text, keep it with a sidecar "
                                            "`furniture.keep_pattern`", "warning"))
            listing = None
        if pending_capture:  # "来源：" on one line, its value on the next
            pending_capture, field_name = None, pending_capture
            if len(line) <= 30 and not is_sentence_line(line):
                src.meta.setdefault(field_name, line)
                drop(n, line, f"value of {field_name}")
                continue
        kind, name = _match_rule(line, rules, src, begun)
        if kind == "block":
            block = name
            drop(n, line, block["name"])
            if block["end"].search(line[1:]):
                block = None
        elif kind == "after":
            after = name
            drop(n, line, name)
        elif kind == "list":
            listing = (name, n)
            drop(n, line, name)
        elif kind == "pending":
            pending_capture = name
            drop(n, line, f"label of {name}")
        elif kind == "drop":
            drop(n, line, name)
        else:
            kept.append((n, line))
            begun = begun or is_sentence_line(line)
    src.lines = _strip_header_and_trailer(kept, src, rules, forced)
    src.removed.sort(key=lambda r: r.line)
    return src


def _resumes_report(line: str) -> bool:
    """The end of a list of link titles: a heading, the salutation or a line of report prose."""
    return bool(HEADING_RE.match(line) or SALUTATION_RE.match(line) or line[-1] in "。；：:;"
                or (len(line) >= 40 and re.search(r"[。！？]", line)))


WRAP_END = "。！？；：:;!?…”」』）)"


# Wide and full-width characters (Markus Kuhn's wcwidth ranges): Han, kana, Hangul, CJK and
# full-width punctuation. One regex scan per line instead of a Unicode lookup per character.
WIDE = ("\u1100-\u115f\u2329\u232a\u2e80-\u303e\u3040-\ua4cf\uac00-\ud7a3\uf900-\ufaff"
        "\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0002fffd\U00030000-\U0003fffd")
NARROW_RUNS_RE = re.compile(f"[^{WIDE}]+")


def columns(text: str) -> int:
    """Display width: a Chinese character or full-width sign takes two columns, ASCII one. Counted
    from the runs of narrow characters: a Chinese line has few, where a list of its wide ones would
    hold every character (a tenth of the time to read a large site went to that list)."""
    return 2 * len(text) - sum(map(len, NARROW_RUNS_RE.findall(text)))


def wrap_width(raw: list[str], widths: list[int] | None = None) -> int | None:
    """The width, in columns, of a hard-wrapped text (copied from a PDF or a mail), or None when each
    line is a paragraph: many long lines that stop mid-sentence, all about as wide. `widths`: the
    lines' columns, when the caller has them."""
    lines = [s.rstrip() for s in raw]
    widths = widths or [columns(s) for s in lines]
    long = [w for s, w in zip(lines, widths) if len(s.strip()) >= 20]
    open_ended = [w for s, w in zip(lines, widths)  # headings end without a stop too; they do not tell a wrap
                  if len(s.strip()) >= 20 and s[-1] not in WRAP_END and not HEADING_RE.match(s.strip())]
    if len(open_ended) < 5:
        return None
    width = max(sorted(set(open_ended)), key=lambda w: sum(0 <= w - x <= 3 for x in open_ended))
    near = sum(0 <= width - x <= 3 for x in open_ended)
    return width if near >= 5 and near >= 0.4 * len(long) else None


def _unwrap(numbered: list[tuple[int, str]], src, paged: bool = False):
    """Rejoin a hard-wrapped text: a line as wide as the wrap that stops mid-sentence continues on the
    next line, unless a blank line, a heading or the salutation follows. `numbered`: (line number,
    line) pairs; `paged`: the text came from a PDF's pages (pdftext.runs_on decides). Returns
    (line number, text)."""
    raw = [s for _, s in numbered]
    lines = [(n, s.strip()) for n, s in numbered]
    widths = [columns(s.rstrip()) for s in raw]
    width = wrap_width(raw, widths)
    if width is None:
        return lines
    out: list[tuple[int, str]] = []
    joined = 0
    previous: tuple[str, int] | None = None  # the line before and its width, when it may run on
    for (n, line), wide in zip(lines, widths):
        if paged:
            runs_on = previous is not None and line and pdftext.runs_on(out[-1][1], previous[1], line, wide, width)
        else:
            runs_on = previous is not None and line and not HEADING_RE.match(line) and not SALUTATION_RE.match(line)
        if runs_on:
            out[-1] = (out[-1][0], out[-1][1] + line)
            joined += 1
        else:
            out.append((n, line))
        open_line = wide >= width - 3 and line[-1:] not in WRAP_END
        previous = (line, wide) if (paged or open_line) and line else None
    if joined:
        src.warnings.append(Problem(src.path, None, f"the text is hard-wrapped at about {width} columns; "
                                    f"joined {joined} continuation line(s) into their paragraphs",
                                    "rule `wrapped lines`: switch it off with a sidecar `furniture.disable: [wrapped lines]`",
                                    "warning"))
    return out


def _join_split_lines(lines, rules, src):
    out = []
    carry = None
    for n, line in lines:
        if carry is not None:
            if not line:
                continue
            out.append((carry[0], carry[1] + line))
            carry = None
            continue
        if line and (line in rules.join or any(p.search(line) for p in rules.join_pattern)):
            carry = (n, line)
            src.warnings.append(Problem(src.path, n, f"joined a line holding only “{line}” to the next one",
                                        "rule `join` in furniture.yml", "warning"))
            continue
        out.append((n, line))
    if carry:
        out.append(carry)
    return out


def _match_rule(line: str, rules: Rules, src: SourceText, begun: bool):
    """(kind, rule) for a furniture line, (None, None) for a line that may be the report's."""
    if rules.may_match is not None and not rules.may_match(line):
        return None, None
    for b in rules.drop_block:
        if b["start"].search(line):
            return "block", b
    if begun:
        for name, pattern in rules.drop_after:
            if pattern.search(line):
                return "after", name
    for name, pattern in rules.drop_list:
        if pattern.search(line):
            return "list", name
    for c in rules.capture:
        m = c["re"].match(line)
        if not m:
            continue
        if m.re.groupindex:
            for key, value in m.groupdict().items():
                if value:
                    src.meta.setdefault(key, value)
            return "drop", c["name"]
        if m.groups() and m.group(1):
            src.meta.setdefault(c["field"], m.group(1))
            return "drop", c["name"]
        return "pending", c["field"]
    if line in rules.drop_line:
        return "drop", rules.drop_line[line]
    for name, pattern in rules.drop_pattern:
        if pattern.search(line):
            return "drop", name
    return None, None


# ---------------------------------------------------------------- header, repeats, trailer

def _strip_header_and_trailer(lines: list[tuple[int, str]], src: SourceText, rules: Rules,
                              forced: set[int] = frozenset()) -> list[tuple[int, str]]:
    start = _body_start(lines) if rules.on("header") else 0
    if start is None:
        return [(n, s) for n, s in lines if n in forced]
    header: list[tuple[int, str, str]] = []
    kept_early = [(n, s) for n, s in lines[:start] if n in forced]
    seen: set[str] = set()
    separators = {r.line for r in src.removed if r.rule == "breadcrumb"}
    crumbs = set(separators)  # a breadcrumb token next to a separator, or next to another token
    for n, line in lines[:start]:
        if n in forced:
            continue
        kind = header_kind(line)
        if kind and kind not in seen:
            seen.add(kind)
            header.append((n, line, kind))
            continue
        near = separators if kind else crumbs
        if rules.on("breadcrumb") and (n - 1 in near or n + 1 in near) and len(line) <= 16:
            rule = "breadcrumb"
            crumbs.add(n)
        elif kind:
            rule = f"repeated {kind}"
        else:
            rule = "header"
            if is_sentence_line(line) and len(line) >= 30:
                src.warnings.append(Problem(src.path, n, "a line of prose before the report's opening was removed as "
                                            f"page text: “{line[:24]}…”",
                                            "rule `header`: if it belongs to the report, keep it with a sidecar "
                                            "`furniture.keep_pattern`", "warning"))
        src.removed.append(RemovedLine(n, line, rule))
    src.meta["header"] = header
    body = kept_early + _drop_repeats(lines[start:], header, src, rules, forced)
    if not rules.on("trailer"):
        return body
    last = max((i for i, (n, s) in enumerate(body) if is_sentence_line(s) or HEADING_RE.match(s) or n in forced),
               default=len(body) - 1)
    tail = body[last + 1:]
    # Remove the trailer only when every line of it looks like a widget; never guess at prose.
    if all(len(s) < 40 and not re.search(r"[。！？；]", s) for _, s in tail):
        src.removed.extend(RemovedLine(n, s, "trailer") for n, s in tail)
        body = body[: last + 1]
    return body


def _body_start(lines: list[tuple[int, str]]) -> int | None:
    """Where the report opens: its salutation, else its first heading or sentence after the title block.
    The title block is what comes before the first heading, salutation or long paragraph."""
    texts = [s for _, s in lines]
    anchor = next((i for i, s in enumerate(texts) if HEADING_RE.match(s) or OPENING_SALUTATION_RE.match(s)
                   or (len(s) >= 60 and re.search(r"[。！？]", s))), len(texts))
    last_header = max((i for i in range(anchor) if header_kind(texts[i])), default=-1)
    salutation = next((i for i in range(last_header + 1, min(anchor + 1, len(texts)))
                       if OPENING_SALUTATION_RE.match(texts[i])), None)
    if salutation is not None:
        return salutation
    start = next((i for i in range(last_header + 1, len(texts)) if _starts_body(texts[i])), None)
    if start is None:
        start = next((i for i, s in enumerate(texts) if _starts_body(s)), None)
    return start


def _drop_repeats(body, header, src: SourceText, rules: Rules, forced: set[int]):
    """Lines the scrape printed twice: the title block again, a paragraph again, a cut-off summary."""
    again = {line: kind for _, line, kind in header}
    seen: set[str] = set()
    out = []
    for i, (n, line) in enumerate(body):
        heading = bool(HEADING_RE.match(line))
        rule = None
        if n in forced:
            pass
        elif line in again and not heading and rules.on(f"repeated {again[line]}"):
            rule = f"repeated {again[line]}"
        elif len(line) >= REPEAT_MIN and not heading and line in seen and rules.on("repeated line"):
            rule = "repeated line"
        elif rules.on("repeated opening") and line.endswith(_CUT_ENDINGS) and _is_cut_summary(line, body[i + 1:]):
            rule = "repeated opening"
        if rule:
            src.removed.append(RemovedLine(n, line, rule))
            continue
        seen.add(line)
        out.append((n, line))
    return out


_CUT_ENDINGS = ("…", "...", "。。。")  # what a cut summary ends with: most lines are let go by this alone


def _is_cut_summary(line: str, later) -> bool:
    m = re.match(r"^(.{10,}?)(?:…+|\.{3,}|。。。)$", line)
    return bool(m) and any(s.startswith(m.group(1)) and len(s) > len(m.group(1)) for _, s in later)


def _starts_body(line: str) -> bool:
    if header_kind(line):
        return False
    return bool(HEADING_RE.match(line) or SALUTATION_RE.match(line) or is_sentence_line(line))


def header_kind(line: str) -> str | None:
    """What a line of a report's title block is: title, dateline, speaker or date (None otherwise)."""
    if DATELINE_RE.match(line):
        return "dateline"
    if SPEAKER_RE.match(line):
        return "speaker"
    if DATE_LINE_RE.match(line):
        return "date"
    if TITLE_RE.search(line) and len(line) < 60 and not re.search(r"[。！？；]|作政府工作报告$", line):
        return "title"
    return None


# ---------------------------------------------------------------- entry point

def ingest(path: Path, sidecar: dict | None = None, name: str = "") -> tuple[bytes, SourceText | None, list[Problem]]:
    """Read one seed; problems are returned, not raised, so every seed's errors are reported.
    `name` is the path shown in messages (relative to the project)."""
    name = name or str(path)
    data = path.read_bytes()
    text, problem = decode(data, name)
    if problem:
        return data, None, [problem]
    side_name = str(Path(name).with_suffix(".yml"))
    rules, problems = load_rules((sidecar or {}).get("furniture"), side_name)
    if problems:
        return data, None, problems
    src = script.read_through_fold(text, lambda text: strip_furniture(text, name, path.stem, rules))
    if not src.lines:
        return data, None, [Problem(name, None, "no report body found: expected a heading (一、 or （一）), "
                                    "the salutation 各位代表, or paragraphs of full sentences ending in 。",
                                    "check that this is a report's text; a sidecar `furniture.keep_pattern` "
                                    "keeps lines a rule removed")]
    return data, src, list(src.warnings)
