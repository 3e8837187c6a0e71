"""Character-for-character text maps. Each keeps the length of the text, so offsets found on one
view are offsets into the report's own words: display never changes what was matched."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}
# For matching, every quote becomes one kind and full-width ASCII forms become ASCII.
_QUOTES = "“”\"「」『』‘’'＂"


def is_cjk(ch: str) -> bool:
    if not ch:
        return False
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF or ch in "“”‘’…—")


_HALF_RE = re.compile("[" + re.escape("".join(_HALF_TO_FULL)) + "]")


def display(text: str) -> str:
    """Half-width , ; : ( ) ! ? next to Chinese shown full-width (the scraper made them
    half-width). Between two digits (1,000 or 3:30) they stay as written."""
    out = None
    for m in _HALF_RE.finditer(text):  # only the punctuation is looked at: display runs on every text
        i = m.start()
        ch = text[i]
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if prev.isascii() and prev.isdigit() and nxt.isascii() and nxt.isdigit():
            continue
        if is_cjk(prev) or is_cjk(nxt) or (ch in "()" and _bracket_holds_cjk(text, i)):
            if out is None:
                out = list(text)
            out[i] = _HALF_TO_FULL[ch]
    return text if out is None else "".join(out)


def _bracket_holds_cjk(text: str, i: int) -> bool:
    if text[i] == "(":
        end = text.find(")", i)
        return end > 0 and any(is_cjk(c) for c in text[i + 1:end])
    start = text.rfind("(", 0, i)
    return start >= 0 and any(is_cjk(c) for c in text[start + 1:i])


class _FoldTable(dict):
    """Code point → its folded character, worked out the first time a character is seen: fold runs
    on every paragraph for every quote, so it must cost a str.translate, not a loop in Python."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in _QUOTES:
            folded = '"'
        else:
            n = unicodedata.normalize("NFKC", ch)
            lowered = n.lower() if len(n) == 1 else ch
            folded = lowered if len(lowered) == 1 else ch  # "İ".lower() is two characters: offsets must hold
        self[code] = folded
        return folded


_FOLD = _FoldTable()
# Blocks whose characters all fold to themselves (no compatibility form, no case): CJK ideographs
# (extension A and the unified block), Hangul syllables, surrogates, private use.
_SELF_FOLDING = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xAC00, 0xD7A4), (0xD800, 0xF900))
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


@lru_cache(maxsize=1)
def _bmp_fold() -> list[int]:
    """_FOLD for every character of the Basic Multilingual Plane, as a list: str.translate looks up
    a list index at half the cost of a dict key. The self-folding blocks are filled without asking."""
    table = list(range(0x10000))
    start = 0
    for lo, hi in _SELF_FOLDING + ((0x10000, 0x10000),):
        for code in range(start, lo):
            table[code] = ord(_FOLD[code])
        start = hi
    return table


def fold(text: str) -> str:
    """The view terms and quotes are matched on: quotes unified, full-width ASCII folded, case folded."""
    # Beyond the BMP the list has no entry (translate would leave the character as it is): the dict.
    return text.translate(_FOLD if _ASTRAL.search(text) else _bmp_fold())
