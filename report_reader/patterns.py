"""Regular expressions shared by the stages that read report text."""

import re

CN_NUM = "一二三四五六七八九十百零〇"
# Heading levels as Chinese reports write them; brackets full- or half-width.
HEADING_PATTERNS = [
    (1, re.compile(rf"^([{CN_NUM}]+)、\s*(.*)$")),
    (2, re.compile(rf"^[(（]([{CN_NUM}]+)[)）]\s*(.*)$")),
    (3, re.compile(r"^(\d{1,2})(?:[、．]|\.(?!\d))\s*(.*)$")),
    (4, re.compile(r"^[(（](\d{1,2})[)）]\s*(.*)$")),
]
HEADING_RE = re.compile("|".join(f"(?:{p.pattern})" for _, p in HEADING_PATTERNS))
SENTENCE_END = "。！？!?"


def is_sentence_line(line: str) -> bool:
    """A line of report prose: ends like a sentence or a salutation, or holds a full sentence."""
    if line[-1:] in "。！？：:；;" and len(line) >= 4:
        return True
    return len(line) >= 30 and any(c in line for c in "。！？")


def cn_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20; Arabic digits pass through."""
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    digits["〇"] = 0
    if "百" in text:
        h, _, rest = text.partition("百")
        return digits.get(h, 1) * 100 + (cn_number(rest) if rest else 0)
    if "十" in text:
        t, _, u = text.partition("十")
        return (digits[t] if t else 1) * 10 + (digits[u] if u else 0)
    return digits.get(text, 0)
