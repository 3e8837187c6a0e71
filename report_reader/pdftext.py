"""Text extracted from a PDF: page furniture removed before wrapped lines are joined, so a sentence
broken by a page end (“…非化石能源发电量、用电量占比均超过” / “— 12 —” / the running header /
“30%。”) reads on as one paragraph. Page numbers are the furniture.yml rules named `page number`;
a running header or footer is the built-in rule `running header`. `extract` runs pdftotext."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

from .model import RemovedLine, SourceText
from .patterns import DATELINE_RE, HEADING_RE, SALUTATION_RE

PAGE_NUMBER_RULE = "page number"
RUNNING_HEADER_RULE = "running header"
MIN_PAGES = 2  # page numbers (or page breaks) it takes to call a text paged
MIN_REPEATS = 3  # a running header is printed on at least this many pages
MAX_HEADER_LEN = 40
_DIGITS_RE = re.compile(r"[0-9０-９]+")
_SENTENCE_MARK_RE = re.compile(r"[。！？；，,;!?]")


def drop_page_furniture(raw: list[str], page_numbers: list[re.Pattern], src: SourceText,
                        running_header: bool = True) -> tuple[list[tuple[int, str]], bool]:
    """The lines of a paged text without page numbers, running headers and footers, and without the
    blank lines around them, so the text on either side of a page break meets; each removal is
    recorded in src.removed. Returns (line number, line) pairs and whether the text is paged.
    A text that is not paged (a web page) is returned whole: its furniture is for the other rules."""
    lines = [s.replace("\f", "") for s in raw]
    breaks = sum(s.count("\f") for s in raw)
    numbered = {i for i, s in enumerate(lines) if s.strip() and any(p.search(s.strip()) for p in page_numbers)}
    running = _running_lines(lines, numbered) if running_header else []
    # Paged: page numbers on their own lines, page breaks, or a running line whose number changes
    # (“政府工作报告 — 3 —”) on three pages or more.
    numbered_headers = len({lines[i].strip() for i in running if _DIGITS_RE.search(lines[i])}) >= MIN_REPEATS
    if len(numbered) < MIN_PAGES and breaks < MIN_PAGES - 1 and not numbered_headers:
        return [(i, s) for i, s in enumerate(raw, 1)], False
    rule = {i: PAGE_NUMBER_RULE for i in numbered}
    rule.update((i, RUNNING_HEADER_RULE) for i in running)
    for i in sorted(rule):
        src.removed.append(RemovedLine(i + 1, lines[i].strip(), rule[i]))
    out = []
    for i, s in enumerate(lines):
        if i in rule or (not s.strip() and _next_to(lines, rule, i)):
            continue
        out.append((i + 1, s))
    return out, True


def _running_lines(lines: list[str], skip: set[int]) -> list[int]:
    """Short lines printed again and again (digits aside: “政府工作报告 第3页”), never a heading or a
    line with sentence punctuation. The first one is left when it opens the text: it is the title."""
    shape = {i: _DIGITS_RE.sub("#", s.strip()) for i, s in enumerate(lines)
             if i not in skip and s.strip() and len(s.strip()) <= MAX_HEADER_LEN
             and not HEADING_RE.match(s.strip()) and not _SENTENCE_MARK_RE.search(s)}
    counts = Counter(shape.values())
    repeated = [i for i, k in shape.items() if counts[k] >= MIN_REPEATS]
    first_text = next((i for i, s in enumerate(lines) if s.strip() and i not in skip), None)
    numbered = {k for k in counts if len({lines[i].strip() for i in repeated if shape[i] == k}) > 1}
    if first_text in shape and shape[first_text] in numbered:
        first_text = None  # “政府工作报告 -1-” is page furniture, not the title
    return [i for i in repeated if i != first_text]


def _next_to(lines: list[str], rule: dict, i: int) -> bool:
    """Whether a blank line touches removed furniture, across other blank lines."""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(lines) and not lines[j].strip():
            j += step
        if j in rule:
            return True
    return False


SENTENCE_END_RE = re.compile(r"[。！？；：!?;:…][”」』’）)]*$")
_HEADER_LINE_RE = re.compile(r"政府工作报告|^[（(]?[—―\-－]")


def runs_on(paragraph: str, previous_wide: int, line: str, wide: int, width: int) -> bool:
    """Whether `line` continues `paragraph` (the text so far, its last line `previous_wide` columns
    wide) in text from a PDF's pages; `width`: the wrap's. A page breaks a line anywhere, so a line
    that does not end at a stop (。 or 。”) continues, unless it is short (under half the wrap: a
    title-block line, an unmarked sub-title), a line of the title block, or a heading. A heading
    continues only when it fills its line and the next line is its short tail, not a paragraph: a
    long heading wrapped, not a heading above text. A paragraph's first line is indented and figures
    are narrow, so width is only roughly kept."""
    if SENTENCE_END_RE.search(paragraph) or SALUTATION_RE.match(line):
        return False
    if HEADING_RE.match(paragraph) and not re.search(r"[。！？]", paragraph):
        return previous_wide >= width - max(3, width // 8) and wide < width - max(3, width // 4)
    if previous_wide < width // 2:
        return False
    # The title block: a dateline (no comma in it), a short title line. A speaker line is short.
    if "，" not in paragraph and DATELINE_RE.match(paragraph):
        return False
    return not (len(paragraph) < 40 and _HEADER_LINE_RE.search(paragraph) and not re.search(r"[，。；]", paragraph))


# ---------------------------------------------------------------- extraction

class ExtractError(Exception):
    pass


def extract(pdf: Path) -> str:
    """The text of a PDF as poppler's pdftotext reads it, in reading order, page breaks dropped."""
    try:
        done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, timeout=300)
    except FileNotFoundError:
        raise ExtractError("pdftotext is not installed (poppler-utils)") from None
    except subprocess.TimeoutExpired:
        raise ExtractError("pdftotext took more than 300 s") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExtractError(message[-1] if message else f"pdftotext failed (exit {done.returncode})")
    text = done.stdout.decode("utf-8", "replace")
    # A page break becomes a blank line: the page numbers around it still tell the pages.
    return "\n".join(line.replace("\f", "").rstrip() for line in text.split("\n")).strip("\n") + "\n"
