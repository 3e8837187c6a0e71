"""Traditional and simplified characters. A report is read in its own characters, never converted;
a traditional-character copy is *read through* a length-keeping fold to simplified characters, one
character for one, so patterns, furniture rules and glossary terms written in simplified characters
find it, and every offset found on the fold is an offset into the report's own words.

OpenCC's character table supplies the mapping. Only its single-character to single-character
entries are used (a phrase such as 乾隆 is never looked at), so the fold keeps length by construction."""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

# Han characters in the Basic Multilingual Plane: the unified block, extension A and compatibility
# ideographs. What OpenCC maps beyond them (a few supplementary-plane forms) is left as written.
_HAN_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
_HAN_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# A copy is traditional when it holds this many characters that only traditional text uses, and
# more of them than characters only simplified text uses (a simplified report quoting 臺灣 stays simplified).
MIN_TRADITIONAL = 20


def _single_char_map(config: str) -> dict[int, str]:
    chars = [chr(c) for lo, hi in _HAN_RANGES for c in range(lo, hi)]
    # One conversion for all: a character per line, so no phrase can span two of them.
    converted = opencc.OpenCC(config).convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # never seen; then nothing is folded rather than folded wrong
        return {}
    return {ord(a): b for a, b in zip(chars, converted) if len(b) == 1 and b != a}


@lru_cache(maxsize=1)
def t2s_table() -> dict[int, str]:
    """Code point of a traditional character → its simplified character (one for one)."""
    return _single_char_map("t2s")


@lru_cache(maxsize=1)
def simplified_only() -> frozenset[str]:
    """Characters that simplified text uses and traditional text writes otherwise (发, 这, 经)."""
    table = t2s_table()
    return frozenset(chr(a) for a in _single_char_map("s2t") if a not in table)


def fold(text: str) -> str:
    """The text with each traditional character replaced by its simplified one: same length."""
    return text.translate(t2s_table())


@lru_cache(maxsize=1)
def _traditional_re() -> re.Pattern:
    return re.compile("[" + "".join(sorted(chr(c) for c in t2s_table())) + "]")


def detect(text: str) -> str:
    """“traditional” or “simplified”: which characters the text is written in. One scan in C for
    most reports, which hold fewer than MIN_TRADITIONAL traditional-only characters."""
    traditional = _traditional_re().findall(text)
    if len(traditional) < MIN_TRADITIONAL:  # most reports: the second table is never built
        return "simplified"
    simple = simplified_only()
    simplified = sum(1 for ch in _HAN_RE.findall(text) if ch in simple)
    return "traditional" if len(traditional) > 2 * simplified else "simplified"


def read_through_fold(text: str, strip):
    """strip(text) → SourceText, run on the simplified fold of a traditional-character copy and given
    back in the copy's own characters: body lines, title block, removed lines and raw text. A
    simplified text is stripped as it is. Metadata captured from furniture (a source's name) is
    kept as read on the fold."""
    if detect(text) != "traditional":
        return strip(text)
    src = strip(fold(text))
    own = [s.strip() for s in text.split("\n")]
    src.raw = text
    src.lines = [(n, _own_words(own, n, s)) for n, s in src.lines]
    for r in src.removed:
        r.text = _own_words(own, r.line, r.text)
    src.meta["header"] = [(n, _own_words(own, n, s), kind) for n, s, kind in src.meta.get("header", [])]
    src.meta["script"] = "traditional"
    return src


def _own_words(own: list[str], n: int, folded: str) -> str:
    """The report's own characters behind a line of the fold that starts at seed line n: the line
    itself, or lines joined from n on (wrapped lines, a split dateline), skipping lines removed between."""
    out, size = [], 0
    for line in own[n - 1:]:
        if size == len(folded):
            break
        if line and folded.startswith(fold(line), size):
            out.append(line)
            size += len(line)
    words = "".join(out)
    return words if size == len(folded) and fold(words) == folded else folded


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def to_traditional(word: str) -> str:
    """A word as a traditional-character copy prints it (for matching a place name only: a report's
    own words are never converted)."""
    return _s2t().convert(word)
