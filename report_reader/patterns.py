"""Regular expressions shared by the stages that read report text."""

import re

CN_NUM = "一二三四五六七八九十百零〇"
DIGIT = "0-9０-９"  # scrapes keep full-width digits as often as ASCII ones
# Heading levels as Chinese reports write them; brackets full- or half-width.
HEADING_PATTERNS = [
    (1, re.compile(rf"^([{CN_NUM}]+)、\s*(.*)$")),
    (2, re.compile(rf"^[(（]([{CN_NUM}]+)[)）]\s*(.*)$")),
    (3, re.compile(rf"^([{DIGIT}]{{1,2}})(?:[、．]|\.(?![{DIGIT}]))\s*(.*)$")),
    (4, re.compile(rf"^[(（]([{DIGIT}]{{1,2}})[)）]\s*(.*)$")),
]
HEADING_RE = re.compile("|".join(f"(?:{p.pattern})" for _, p in HEADING_PATTERNS))
SENTENCE_END = "。！？!?"
# "各位代表：" opens the speech; "各位代表！" later in the text opens a paragraph.
SALUTATION_RE = re.compile(r"^各位(代表|委员)")
OPENING_SALUTATION_RE = re.compile(r"^各位(代表|委员)(?:、[^：:]{1,12})?[：:]")

# Dates as reports write them: 2024年1月16日, or in Chinese numerals 二〇二四年一月十六日.
_CN_DIGIT = "〇○零一二三四五六七八九"
DATE_TEXT = (rf"(?:\d{{4}}年\d{{1,2}}月\d{{1,2}}日|[{_CN_DIGIT}]{{4}}年[一二三四五六七八九十]{{1,3}}月"
             rf"[一二三四五六七八九十]{{1,3}}日)")
# The title block: “——2026年1月27日在…会议上” (a speaker may follow on the same line), “山东省省长 周乃翔”.
DATELINE_RE = re.compile(rf"^[（(]?[—―\-－~～─]*\s*(?P<date>{DATE_TEXT})?\s*在(?P<meeting>.+?(?:会议|大会)上)"
                         r"[)）]?(?:[\s\u3000]+(?P<rest>.*))?$")
SPEAKER_RE = re.compile(r"^(\S{0,24}?(?:省长|市长|区长|县长|州长|盟长|旗长|主席|书记|主任))[\s\u3000]*([\u4e00-\u9fff·•]{2,12})$")
DATE_LINE_RE = re.compile(rf"^[（(]?{DATE_TEXT}[)）]?$")
_DATE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_CN_DATE_RE = re.compile(rf"([{_CN_DIGIT}]{{4}})年([一二三四五六七八九十]{{1,3}})月([一二三四五六七八九十]{{1,3}})日")
_ISO_RE = re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})")
# A year a title names as its own (2023年十堰市张湾区政府工作报告), not the year of a date in it (2024年1月16日).
_TITLE_YEAR_RE = re.compile(rf"(?<![{DIGIT}{_CN_DIGIT}])((?:[1１][9９]|[2２][0０])[{DIGIT}]{{2}}|二[{_CN_DIGIT}]{{3}})\s*年"
                            rf"(?!\s*(?:[{DIGIT}]{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*月)")


def title_year(title: str) -> str:
    """The year a title names, "" when none; the latest if it names several (2022年工作回顾和2023年工作安排).
    A report read out in December 2022 is 2023年政府工作报告: it is known by this year, not its date's."""
    years = [cn_number(m.group(1)) for m in _TITLE_YEAR_RE.finditer(title)]
    return str(max(years)) if years else ""


def is_sentence_line(line: str) -> bool:
    """A line of report prose: ends like a sentence or a salutation, or holds a full sentence."""
    if line[-1:] in "。！？：:；;" and len(line) >= 4:
        return True
    return len(line) >= 30 and any(c in line for c in "。！？")


def cn_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20; Arabic digits (ASCII or full-width) pass through."""
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    digits["〇"] = digits["○"] = 0
    if "百" in text:
        h, _, rest = text.partition("百")
        return digits.get(h, 1) * 100 + (cn_number(rest) if rest else 0)
    if "十" in text:
        t, _, u = text.partition("十")
        return (digits[t] if t else 1) * 10 + (digits[u] if u else 0)
    if len(text) > 1:  # a year written digit by digit: 二〇二四
        return int("".join(str(digits.get(c, 0)) for c in text))
    return digits.get(text, 0)


def iso_date(text: str) -> str:
    """The first date in a text as yyyy-mm-dd ("" when none): 2024年1月16日, 二〇二四年一月十六日, 2024-01-16."""
    found = [(m.start(), m.groups()) for m in (r.search(text) for r in (_DATE_RE, _CN_DATE_RE, _ISO_RE)) if m]
    if not found:
        return ""
    year, month, day = (cn_number(g) for g in min(found)[1])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"
