"""Key figures of a report as data: its targets for the coming year and the results of the past one.

Report → list[Figure]. A figure is a number with a unit the report states about a named indicator:
地区生产总值增长 | 5 | % | 左右. Everything is taken as written; what cannot be read plainly (a number with
no indicator before it, 同比增长 with nothing to grow, a figure that runs on into a noun: 1087亿元的…)
is left out, never guessed. Which figures count:

- targets: every figure of the 主要预期目标 sentence (from 预期目标是/为/： to its full stop), wherever it
  stands outside a multi-year (十五五) part; and in the parts about this year's work, a figure with a
  target's qualifier (力争, 以上, 以内, 左右, 不低于 …);
- results: every figure in the review of the past year (the parts before the first part about this
  year's work or the coming five years; a report with no such part is all review).

A sidecar (`figures:` in seeds/<name>.yml) corrects, removes or adds figures by hand; see apply_sidecar.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import yaml

from .model import Figure, Paragraph, Problem, Report, Section

# ---------------------------------------------------------------- the figure itself

# Units, longest first so 万人次 wins over 万人. Counting words (个, 家, 项 …) take Arabic digits only:
# 两个维护, 五项保障, 三支队伍 are names, not figures.
MEASURE_UNITS = ["个百分点", "百分点", "%", "％", "‰", "万亿元", "亿美元", "万美元", "亿元", "万元", "美元", "元",
                 "亿人次", "万人次", "人次", "万人", "万户", "万亩", "亩", "亿斤", "万斤", "亿吨", "万吨", "吨",
                 "亿千瓦时", "万千瓦时", "千瓦时", "万千瓦", "千瓦", "平方公里", "万平方米", "平方米", "公里", "千米",
                 "亿立方米", "万立方米", "立方米", "万标箱", "万辆", "万套", "万头", "万只", "万件", "万公顷", "公顷",
                 "微克/立方米", "岁", "倍"]
COUNT_UNITS = ["人", "户", "辆", "套", "头", "只", "件", "个", "家", "项", "所", "座", "处", "条", "台", "场", "次",
               "起", "张", "间", "栋", "公顷", "千瓦"]
_UNITS = sorted(set(MEASURE_UNITS) | set(COUNT_UNITS) | {m + u for m in "万亿" for u in COUNT_UNITS},
                key=len, reverse=True)
_MEASURES = sorted(set(MEASURE_UNITS), key=len, reverse=True)

# Written [x][x]*, not [x]+: a pattern that opens with a character class lets the engine skip ahead.
DIGITS = r"[0-9０-９][0-9０-９]*(?:[.．][0-9０-９]+)?"
CN_DIGITS = r"[零〇一二两三四五六七八九十百千][零〇一二两三四五六七八九十百千]*(?:点[零〇一二三四五六七八九]+)?"
RANGE_SEP = r"(?:——|—|–|-|－|~|～|至|到)"
PRE_QUALIFIERS = ["不低于", "不少于", "不超过", "不高于", "力争", "突破", "超过", "超", "约", "近"]
POST_QUALIFIERS = ["及以上", "以上", "以内", "以下", "左右", "上下"]
# A target's qualifiers: a figure in this year's work with one of these is a target set for the year.
TARGET_QUALIFIERS = {"力争", "以上", "及以上", "以内", "以下", "左右", "上下", "不低于", "不少于", "不超过", "不高于"}


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in words)



def _units(units: list[str]) -> str:
    """An alternation of units as a tree of their characters (万(?:人次|人|亩…)|亿(?:元|斤…)|…): the regex
    engine tries alternatives one by one, and a flat list of eighty units cost most of a figure's time."""
    groups: dict[str, list[str]] = {}
    for u in units:
        groups.setdefault(u[0], []).append(u[1:])
    parts = []
    for first in sorted(groups, key=lambda c: -max(map(len, groups[c]))):
        rests = groups[first]
        longer = [r for r in rests if r]
        tail = ""
        if longer:
            tail = f"(?:{_units(longer)})" + ("?" if "" in rests else "")
        parts.append(re.escape(first) + tail)
    return "|".join(parts)


# One pattern per way a number is written, each starting with one character class, so the regex
# engine skips ahead to the places it can start: a figure in all its forms as one pattern was slower
# than the rest of the build's analysis of a report put together.
_POST = rf"(?P<post>{_alt(POST_QUALIFIERS)})?"
ARABIC_RE = re.compile(rf"(?P<a>{DIGITS})(?:(?P<aunit>(?:{_units(_UNITS)}))?(?P<sep>{RANGE_SEP})(?P<b>{DIGITS}))?"
                       rf"(?P<more>余|多)?(?P<unit>(?:{_units(_UNITS)})){_POST}")
CHINESE_RE = re.compile(rf"(?P<a>{CN_DIGITS})(?P<more>余|多)?(?P<unit>(?:{_units(_MEASURES)})){_POST}")
PERCENT_RE = re.compile(rf"(?P<unit>百分之)(?P<a>{CN_DIGITS}){_POST}")  # 百分之五点五: the unit before the number
CLASS_RE = re.compile(rf"(?P<a>[ⅠⅡⅢⅣⅤ])(?P<unit>类){_POST}")  # water quality: Ⅱ类及以上
_NOT_BEFORE_ARABIC = set("0123456789０１２３４５６７８９.．") | set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_NOT_BEFORE_CHINESE = set("零〇一二两三四五六七八九十百千万亿第")
_PRE_BY_LENGTH = sorted(PRE_QUALIFIERS, key=len, reverse=True)
_PRE_ENDINGS = {q[-1] for q in PRE_QUALIFIERS}


_PATTERNS = [(ARABIC_RE, _NOT_BEFORE_ARABIC, ""), (CHINESE_RE, _NOT_BEFORE_CHINESE, ""), (PERCENT_RE, None, "百分之"),
             (CLASS_RE, None, "类")]


class Hit(NamedTuple):
    """A figure as written: [start, end) of the paragraph, a qualifier before the number included."""

    start: int
    end: int
    value: str
    unit: str
    pre: str  # 力争, 突破, 约 … right before the number
    more: str  # 余 / 多 between number and unit
    post: str  # 左右, 以上 …


def _hits(text: str, start: int, end: int) -> list[Hit]:
    found = []
    for rx, before_bad, needs in _PATTERNS:
        if needs and needs not in text:  # a quick look spares a scan: 百分之 and 类 are rare
            continue
        for m in rx.finditer(text, start, end):
            at = m.start()
            if before_bad is not None and at > start and text[at - 1] in before_bad:
                continue
            g = m.groupdict()
            value = g["a"]
            if g.get("b"):
                value += g["sep"] + g["b"]
            pre = ""
            if at > start and text[at - 1] in _PRE_ENDINGS:
                pre = next((q for q in _PRE_BY_LENGTH if text.startswith(q, at - len(q), at) and at - len(q) >= start), "")
            found.append(Hit(at - len(pre), m.end(), value, g["unit"], pre, g.get("more") or "", g["post"] or ""))
    found.sort()
    return found


# What may follow a figure: the end of its clause, or a parenthesis that explains it.
_AFTER_OK = set("，。；、,;：:！？!?）)（( \u3000\n") | {""}
CLAUSE_BREAK = re.compile(r"[，。；,;：:！？!?]")
PARENTHESIS = re.compile(r"[（(][^（）()]*[）)]|[（）()]")
_HAS_PARENTHESIS = re.compile(r"[（）()]")
SENTENCE_END = re.compile(r"[。！？!?]")

# Words that join an indicator to its figure, not part of the indicator's name.
_TRAILING_VERBS = re.compile(r"(?:保持在|稳定在|控制在|保持|稳定|(?:提高|提升|增长|增加|扩大|下降|降低|减少)?[到至]|降至|达到|达)+$")
_LEADING_FILLERS = re.compile(r"^(?:其中|同时|并且|并|且|实现|全年|今年|预计)+")
# An indicator that only says "grew" or compares leaves unclear what grew: left out.
_UNCLEAR = re.compile(r"(?:同比|比上年|较上年|比去年|年均|分别|累计)?(?:增长|下降|提高|减少|增加|上涨|提升|降低|增速|增幅)?$"
                      r"|(?:高于|低于|快于|慢于|超出|比上年|比去年|较上年|占全|居全|位居|排名|总量)")  # used with match()
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _han_count(text: str) -> int:
    return len(_HAN.findall(text))


def _clean_indicator(text: str) -> tuple[str, str]:
    """(indicator, a qualifier found at its edges): 力争 before it, 突破 / 约 … at its end."""
    qualifier = ""
    text = text.strip(" 　、")
    if "力争" in text:
        qualifier, text = "力争", text.replace("力争", "", 1)
    text = _LEADING_FILLERS.sub("", text)
    text = _TRAILING_VERBS.sub("", text)
    return text.strip(" 　、"), qualifier


def _join_qualifiers(*parts: str) -> str:  # (before the number, after it)
    front, back = parts
    if front.startswith("力争") and back:  # 力争…以上: reads as the sentence does
        return f"{front}…{back}"
    return front + back


def _figures_in_clause(text: str, start: int, end: int, hits: list[Hit]) -> list[tuple[str, str, str, str, int, int]]:
    """(indicator, value, unit, qualifier, start, end) of each clear figure in text[start:end]."""
    found = []
    prev_end = start
    matches = hits
    i = 0
    while i < len(matches):
        m = matches[i]
        after = text[m.end:m.end + 1]
        if after not in _AFTER_OK:  # runs on into a noun: 1087亿元的216个重点项目
            # The noun it runs into is its own, up to the next 、 (2000个省级重点项目、完成投资9800亿元).
            cut = text.find("、", m.end, matches[i + 1].start if i + 1 < len(matches) else end)
            prev_end = cut + 1 if cut >= 0 else m.end
            i += 1
            continue
        raw_indicator = text[prev_end:m.start]
        group = [m]  # A、B分别增长35%、20%: the figures that follow 分别, separated by 、 only
        while (i + len(group) < len(matches) and text[group[-1].end:matches[i + len(group)].start] == "、"
               and text[matches[i + len(group)].end:matches[i + len(group)].end + 1] in _AFTER_OK):
            group.append(matches[i + len(group)])
        if "分别" in raw_indicator and len(group) > 1:
            found += _respectively(raw_indicator, group)
            prev_end = group[-1].end
            i += len(group)
            continue
        indicator, lead_q = _clean_indicator(raw_indicator)
        # 输出345亿度、增长32%: what grew is not named here.
        if "分别" not in indicator and _han_count(indicator) >= 2 and not _UNCLEAR.match(indicator) \
                and not _UNCLEAR.match(indicator.rpartition("、")[2]):
            found.append((indicator, *_value(m, lead_q), m.start, m.end))
        prev_end = m.end
        i += 1
    return found


def _respectively(raw: str, group: list[Hit]) -> list[tuple]:
    """工业投资、规上工业增加值分别增长35%、20%: each item of the list with the words after 分别. Left out
    when the list and the figures do not pair one to one, or an item is too short to stand alone
    (省级、市级重点项目: 省级 is not an indicator)."""
    head, _, verb = raw.partition("分别")
    head, lead_q = _clean_indicator(head)
    items = head.split("、")
    verb = _TRAILING_VERBS.sub("", verb)
    if len(items) != len(group) or any(_han_count(x) < 3 for x in items) or _UNCLEAR.match(items[0]):
        return []
    return [(item + verb, *_value(m, lead_q), m.start, m.end) for item, m in zip(items, group)]


def _value(h: Hit, lead_q: str) -> tuple[str, str, str]:
    """(value, unit, qualifier) of a figure; `lead_q` is 力争 found before its indicator."""
    return h.value, h.unit, _join_qualifiers(lead_q + h.pre, h.more + h.post)


def figures_in(text: str, start: int = 0, end: int | None = None, targets_only: bool = False):
    """Every clear figure in text[start:end], clause by clause: (indicator, value, unit, qualifier,
    start, end). With `targets_only`, clauses where no figure can carry a target's qualifier are
    passed over (the caller keeps only those)."""
    end = len(text) if end is None else end
    hits = _hits(text, start, end)
    if not hits:
        return []
    breaks = [m.start() for m in CLAUSE_BREAK.finditer(text, start, end)]
    # A parenthesis that holds a figure is a clause of its own; one that only names or explains
    # (地区生产总值（GDP）增长) belongs to the words around it. An unmatched one breaks the clause.
    if _HAS_PARENTHESIS.search(text, start, end):
        for m in PARENTHESIS.finditer(text, start, end):
            if len(m.group()) == 1 or any(m.start() < h.start and h.end < m.end() for h in hits):
                breaks += [m.start(), m.end() - 1]
        breaks.sort()
    clauses: dict[int, list[Hit]] = {}
    for h in hits:
        clauses.setdefault(bisect_right(breaks, h.start), []).append(h)
    out = []
    for i, mine in clauses.items():
        lo = breaks[i - 1] + 1 if i else start
        hi = breaks[i] if i < len(breaks) else end
        if targets_only and not ("力争" in text[lo:hi] or any(h.pre in TARGET_QUALIFIERS or h.post in TARGET_QUALIFIERS
                                                             for h in mine)):
            continue
        out += _figures_in_clause(text, lo, hi, [h for h in mine if h.end <= hi])
    return out


# ---------------------------------------------------------------- which parts of a report

REVIEW_RE = re.compile(r"回顾|过去|总结|去年|上年")
MULTI_YEAR_RE = re.compile(r"十[一二三四五六七八九]五|五年|时期|规划|远景")
PLAN_RE = re.compile(r"今年|本年|安排|重点工作|主要任务|工作任务|目标任务")
TARGETS_RE = re.compile(r"预期目标[^，。；：:]{0,4}?(?:是|为)?[：:]?")


def section_kinds(report: Report) -> dict[str, str]:
    """Section slug → "review", "plan" (this year's work), "multi-year" or "other". A section before
    the first plan or multi-year part is review: reports open with the past year."""
    year = report.year
    kinds, seen_forward = {}, False
    for s in report.sections:
        title = s.heading.title if s.heading else ""
        if title and (REVIEW_RE.search(title) or (year.isdigit() and f"{int(year) - 1}年" in title)):
            kind = "review"
        elif title and MULTI_YEAR_RE.search(title) and not (year and f"{year}年" in title):
            kind = "multi-year"
        elif title and (PLAN_RE.search(title) or (year and f"{year}年" in title)):
            kind = "plan"
        else:
            kind = "other" if seen_forward else "review"
        seen_forward = seen_forward or kind in ("plan", "multi-year")
        kinds[s.slug] = kind
    return kinds


def target_span(paragraph: Paragraph) -> tuple[int, int] | None:
    """[start, end) of the 主要预期目标 sentence's list of targets in the paragraph, or None."""
    m = TARGETS_RE.search(paragraph.text)
    if m is None:
        return None
    stop = SENTENCE_END.search(paragraph.text, m.end())
    return m.end(), stop.start() if stop else len(paragraph.text)


def extract(report: Report) -> list[Figure]:
    """The report's figures, in reading order."""
    out: list[Figure] = []
    for section, kind in zip(report.sections, section_kinds(report).values()):
        if kind == "multi-year":
            continue
        for p in section.paragraphs:
            out += _paragraph_figures(section, p, kind)
    return out


def _paragraph_figures(section: Section, p: Paragraph, kind: str) -> list[Figure]:
    span = target_span(p)
    if span is not None:  # the 主要预期目标 sentence: every figure a target
        return [Figure("target", *f, section.slug, p.number, s, e) for *f, s, e in figures_in(p.text, *span)]
    if kind == "review":
        return [Figure("result", *f, section.slug, p.number, s, e) for *f, s, e in figures_in(p.text)]
    if kind == "plan":
        return [Figure("target", *f, section.slug, p.number, s, e) for *f, s, e in _qualified(p.text)
                if _target_qualifier(f[3])]
    return []


_TARGET_WORDS = re.compile("|".join(sorted(TARGET_QUALIFIERS, key=len, reverse=True)))


def _qualified(text: str) -> list[tuple]:
    """The figures of the clauses that hold a target's word (力争, 以上 …): in this year's work the
    others are not looked at. A clause between two of CLAUSE_BREAK is read as figures_in reads it."""
    words = [m.start() for m in _TARGET_WORDS.finditer(text)]
    if not words:
        return []
    breaks = [m.start() for m in CLAUSE_BREAK.finditer(text)]
    out, done = [], set()
    for at in words:
        i = bisect_right(breaks, at)
        if i in done:
            continue
        done.add(i)
        out += figures_in(text, breaks[i - 1] + 1 if i else 0, breaks[i] if i < len(breaks) else len(text), targets_only=True)
    return out


def _target_qualifier(qualifier: str) -> bool:
    return any(q in qualifier for q in TARGET_QUALIFIERS)


# ---------------------------------------------------------------- by hand: the sidecar's `figures:`

FIELDS = {"kind", "indicator", "value", "unit", "qualifier", "paragraph", "remove"}
KINDS = ("target", "result")
MAX_ENTRIES, MAX_TEXT = 500, 80
_PLACE_RE = re.compile(r"(s\d{1,4})/?#?p(\d{1,5})")


def apply_sidecar(report: Report, figures: list[Figure], entries, side: Path, name: str,
                  problems: list[Problem]) -> list[Figure]:
    """The sidecar's `figures:` list applied: an entry names its paragraph (`paragraph: s3/p2`) and
    indicator; it replaces the figure of that indicator in that paragraph, or is added; with
    `remove: true` it removes it. Its value must stand in that paragraph as written, so nothing is
    made up by hand either. Problems name the sidecar's line."""
    if entries is None:
        return figures
    lines = _entry_lines(side)
    if not isinstance(entries, list) or len(entries) > MAX_ENTRIES:
        problems.append(Problem(name, lines[0] if lines else None, "`figures` must be a list (at most "
                                f"{MAX_ENTRIES} entries)", "write `figures:` then one `- indicator: …` entry per figure"))
        return figures
    paragraphs = {(s.slug, p.number): p for s in report.sections for p in s.paragraphs}
    out = list(figures)
    for i, entry in enumerate(entries):
        line = lines[i] if i < len(lines) else None
        fixed = _check_entry(entry, paragraphs, name, line, problems)
        if fixed is None:
            continue
        remove, fig = fixed
        same = [k for k, f in enumerate(out) if (f.section, f.paragraph, f.indicator) == (fig.section, fig.paragraph, fig.indicator)]
        if remove:
            if not same:
                problems.append(Problem(name, line, f"figures: no figure “{fig.indicator}” in {fig.section}/p{fig.paragraph} to remove",
                                        "copy the indicator as the 数据 page shows it"))
            out = [f for k, f in enumerate(out) if k not in same]
        elif same:
            out[same[0]] = fig
        else:
            out.append(fig)
    order = {key: n for n, key in enumerate(paragraphs)}
    return sorted(out, key=lambda f: (order[(f.section, f.paragraph)], f.start if f.start >= 0 else 1 << 30))


def _check_entry(entry, paragraphs: dict, name: str, line: int | None, problems: list[Problem]):
    def bad(what: str, fix: str):
        problems.append(Problem(name, line, f"figures: {what}", fix))

    if not isinstance(entry, dict):
        return bad("an entry must be a mapping", "write `- indicator: …` with kind, value, unit, qualifier, paragraph")
    unknown = sorted(set(map(str, entry)) - FIELDS)
    if unknown:
        return bad(f"unknown field `{unknown[0]}`", f"use {', '.join(sorted(FIELDS))}")
    texts = {}
    for key in ("kind", "indicator", "value", "unit", "qualifier", "paragraph"):
        value = entry.get(key, "")
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return bad(f"`{key}` must be text", f"quote it: {key}: \"…\"")
        texts[key] = str(value).strip()
        if len(texts[key]) > MAX_TEXT:
            return bad(f"`{key}` is longer than {MAX_TEXT} characters", "shorten it")
    place = _PLACE_RE.fullmatch(texts["paragraph"])
    if place is None:
        return bad(f"`paragraph` “{texts['paragraph']}” is not a paragraph address", "write it as s3/p2 (section, paragraph)")
    key = (place.group(1), int(place.group(2)))
    if key not in paragraphs:
        return bad(f"there is no paragraph {key[0]}/p{key[1]} in the report", "use the address the 数据 page or the paragraph's link shows")
    if not texts["indicator"]:
        return bad("`indicator` is missing", "give the indicator in the report's words")
    remove = entry.get("remove", False)
    if not isinstance(remove, bool):
        return bad("`remove` must be true or false", "write remove: true")
    if remove:
        return True, Figure("result", texts["indicator"], "", "", "", key[0], key[1], origin="sidecar")
    if texts["kind"] not in KINDS:
        return bad(f"`kind` must be target or result, not “{texts['kind']}”", "write kind: target or kind: result")
    text = paragraphs[key].text
    if not texts["value"] or texts["value"] not in text:
        return bad(f"value “{texts['value']}” is not in paragraph {key[0]}/p{key[1]}",
                   "copy the number exactly as the paragraph writes it")
    at = text.find(texts["value"])
    return False, Figure(texts["kind"], texts["indicator"], texts["value"], texts["unit"], texts["qualifier"],
                         key[0], key[1], at, at + len(texts["value"]), "sidecar")


def _entry_lines(side: Path) -> list[int]:
    """The line of each entry of the sidecar's `figures:` list (1-based), for messages."""
    try:
        root = yaml.compose(side.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for k, v in root.value:
        if getattr(k, "value", None) == "figures":
            if isinstance(v, yaml.SequenceNode):
                return [item.start_mark.line + 1 for item in v.value] or [k.start_mark.line + 1]
            return [k.start_mark.line + 1]
    return []


def report_figures(report: Report, sidecar: dict, side: Path, name: str, problems: list[Problem]) -> list[Figure]:
    """The report's figures: extracted, then corrected by its sidecar."""
    return apply_sidecar(report, extract(report), sidecar.get("figures"), side, name, problems)


# ---------------------------------------------------------------- comparing reports

INDICATORS_FILE = Path(__file__).with_name("indicators.yml")
_SCOPE_PREFIX = re.compile(r"^(?:全国|全省|全市|全区|全县|全州|全盟|全旗|我省|我市|我区|本省|本市)")


@lru_cache(maxsize=None)  # read once per process, however many years are compared
def load_indicators(path: Path = INDICATORS_FILE) -> list[dict]:
    """The comparison's columns: id, label and the indicator's names that mean it (indicators.yml)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [{"id": c["id"], "label": c["label"], "names": [normal_name(n) for n in c["names"]]} for c in data["columns"]]


def normal_name(indicator: str) -> str:
    """An indicator's name as the synonym table is keyed: no scope word (全省), no spaces or quotes."""
    text = re.sub(r"[\s“”\"']", "", indicator)
    return _SCOPE_PREFIX.sub("", text).replace("（GDP）", "").replace("(GDP)", "")


def column_of(indicator: str, columns: list[dict]) -> str | None:
    name = normal_name(indicator)
    for c in columns:
        if name in c["names"]:
            return c["id"]
    return None


_CN = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SCALE = {"十": 10, "百": 100, "千": 1000}


def number_of(value: str) -> float | None:
    """The first number of a value as written (4.5—5 → 4.5, 一千二百 → 1200), for sorting; None if unread."""
    m = re.match(DIGITS, value)
    if m:
        return float(m.group().translate(str.maketrans("０１２３４５６７８９．", "0123456789.")))
    whole, _, frac = value.partition("点")
    total, digit = 0, None
    for ch in whole:
        if ch in _CN:
            digit = _CN[ch]
        elif ch in _CN_SCALE:
            total += (1 if digit is None else digit) * _CN_SCALE[ch]
            digit = None
        else:
            return None
    total += digit or 0
    if frac:
        if any(ch not in _CN for ch in frac):
            return None
        total += float("0." + "".join(str(_CN[ch]) for ch in frac))
    return float(total) if whole or frac else None
