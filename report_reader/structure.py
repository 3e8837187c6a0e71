"""Stage 2: SourceText → Report. Metadata from the title, dateline and sidecar; headings by
level with their numbering checked; lead sentences; sections with stable slugs."""

from __future__ import annotations

import re

from . import official_glossary, script
from .model import Block, Heading, Paragraph, Problem, Report, Section, SourceText
from .patterns import DATELINE_RE, HEADING_PATTERNS, SALUTATION_RE, SPEAKER_RE, cn_number, iso_date, title_year

PROVINCES = (
    "北京市 天津市 上海市 重庆市 河北省 山西省 辽宁省 吉林省 黑龙江省 江苏省 浙江省 安徽省 福建省 江西省 "
    "山东省 河南省 湖北省 湖南省 广东省 海南省 四川省 贵州省 云南省 陕西省 甘肃省 青海省 台湾省 "
    "内蒙古自治区 广西壮族自治区 西藏自治区 宁夏回族自治区 新疆维吾尔自治区 香港特别行政区 澳门特别行政区"
).split()
_SHORT = {p[:2] if not p.startswith(("黑龙江", "内蒙古")) else p[:3]: p for p in PROVINCES}
CITY_RE = re.compile(r"^([\u4e00-\u9fff]{1,7}?(?:自治州|市|州|盟|地区))")
COUNTY_RE = re.compile(r"^([\u4e00-\u9fff]{1,7}?(?:自治县|自治旗|新区|区|县|市|旗))(?=人民政府|政府|第|人民代表大会|$)")
LEAD_RE = re.compile(r"^([^，,；;：:。！？]{3,22}[。！])(?=.)")
MAX_HEADING_TITLE = 40  # a heading line longer than this runs into its paragraph


def parse_region(text: str) -> list[str]:
    """山东省 / 济南市 / 天桥区 from a title such as “(山东省)济南市天桥区人民政府工作报告”."""
    region: list[str] = []
    rest = text
    for name in PROVINCES:
        i = rest.find(name)
        if i >= 0:
            region.append(name)
            rest = rest[i + len(name):]
            break
    else:
        for short, name in _SHORT.items():
            m = re.search(rf"[（(]{short}[)）]", rest)
            if m:
                region.append(name)
                rest = rest[m.end():]
                break
    rest = re.sub(r"^[)）\s]+", "", rest)
    rest = re.sub(r"^\d{4}年", "", rest)
    if region and region[0][-1] == "市":  # municipalities: the next unit is a district
        m = COUNTY_RE.match(rest)
        if m:
            region.append(m.group(1))
        return region
    m = CITY_RE.match(rest)
    if m and not m.group(1).endswith("人民政府"):
        region.append(m.group(1))
        rest = rest[m.end():]
    m = COUNTY_RE.match(rest)
    if m:
        region.append(m.group(1))
    return region


def frontmatter_lines(header: list[tuple[int, str, str]]) -> list[str]:
    """Dateline, speaker and date as the report prints them; a dateline carrying the speaker
    (“…会议上 陕西省省长 赵刚”) becomes two lines, each in the report's own words."""
    out = []
    for _, text, kind in header:
        if kind not in ("dateline", "speaker", "date"):
            continue
        m = DATELINE_RE.match(text) if kind == "dateline" else None
        if m and m.group("rest") and SPEAKER_RE.match(m.group("rest")):
            out += [text[: m.start("rest")].rstrip(), m.group("rest")]
        else:
            out.append(text)
    return out


def _congress(meeting: str, own: str) -> str:
    """The congress session a dateline names, in the report's own characters, without the 在/上
    around it (“” when none). `meeting` is read on the fold, `own` is the same span as printed."""
    m = re.search(r"[\u4e00-\u9fff]*第[一二三四五六七八九十]+届.*?(?:人民代表大会|人大).*?第[一二三四五六七八九十]+次(?:全体)?会议", meeting)
    return own[m.start():m.end()] if m else ""


def _place_forms(unit: str) -> list[str]:
    """A region unit and its short form as titles write it: 广东省 / 广东, 济南市 / 济南."""
    short = re.sub(r"(?:维吾尔|壮族|回族)?(?:自治区|自治州|自治县|特别行政区|省|市|区|县|州|盟|旗)$", "", unit)
    return [unit] + ([short] if len(short) >= 2 else [])


def display_title(title: str, year: str, region: list[str], view=str) -> str:
    """The report's title with the place and year it lacks: 政府工作报告 → 2026年广东省政府工作报告,
    2026年政府工作报告 → 2026年云南省政府工作报告. A title naming both is shown as it is. `view`:
    script.fold for a traditional-character title; the place is then added in traditional characters."""
    names_year = not year or bool(title_year(title)) or year in title  # a date in the title names it too
    names_place = not region or any(f in view(title) for f in _place_forms(region[-1]))
    if names_year and names_place:
        return title
    place = "" if names_place else "".join(region)
    if place and view is not str:
        place = script.to_traditional(place)
    m = re.match(r"^\s*((?:[1１][9９]|[2２][0０])[0-9０-９]{2}|二[〇○零一二三四五六七八九]{3})\s*年", title)
    if m:  # 2026年政府工作报告: the place goes after the year
        return title[: m.end()] + place + title[m.end():]
    return ("" if names_year else f"{year}年") + place + title


def parse_heading(line: str) -> tuple[int, str, str, int] | None:
    for level, pattern in HEADING_PATTERNS:
        m = pattern.match(line)
        if m and m.group(2):
            marker = line[: m.start(2)]
            return level, marker, m.group(2), cn_number(m.group(1))
    return None


def build_report(src: SourceText, sidecar: dict | None = None) -> tuple[Report, list[Problem]]:
    sidecar = sidecar or {}
    problems: list[Problem] = []
    header = {}
    for _, text, kind in src.meta.get("header", []):
        header.setdefault(kind, text)
    title = sidecar.get("title") or header.get("title", "")
    dateline = header.get("dateline", "")
    # A traditional-character copy is read through its simplified fold (same length, same lines):
    # the patterns and place names are written in simplified characters. Its words stay as printed.
    view = script.fold if src.meta.get("script") == "traditional" else str
    m = DATELINE_RE.match(view(dateline)) if dateline else None
    meeting = m.group("meeting") if m else ""
    own_meeting = dateline[m.start("meeting"):m.end("meeting")] if m else ""  # the fold keeps offsets
    speaker = SPEAKER_RE.match(view(header.get("speaker", "")))
    # The speaker's title (广东省省长) is further evidence of the place, after the title and the meeting.
    region = sidecar.get("region") or parse_region(view(title)) or parse_region(meeting) or \
        (parse_region(speaker.group(1)) if speaker else [])
    if isinstance(region, str):
        region = [region]
    if not region:
        problems.append(Problem(src.path, None, "no region found in the title, the congress a dateline names "
                                "(在广东省第十四届人民代表大会…) or the speaker's title (广东省省长)",
                                "rule `region`: add `region: [广东省, 广州市]` to the sidecar seeds/<name>.yml", "warning"))
    if not title:
        title = f"{''.join(region)}政府工作报告"
        problems.append(Problem(src.path, None, f"no title line found (a short line containing 政府工作报告); using “{title}”",
                                "rule `title`: add `title:` to the sidecar seeds/<name>.yml", "warning"))
    date = str(sidecar.get("date") or iso_date(dateline) or iso_date(header.get("date", "")) or iso_date(title) or "")
    if not date:
        problems.append(Problem(src.path, None, "no date found in the title, a dateline or a date line (2024年1月16日)",
                                "rule `date`: add `date: YYYY-MM-DD` to the sidecar", "warning"))
    issuer = sidecar.get("issuer") or ("".join(region[-2:] if len(region) > 1 else region) + "人民政府")
    glossary_lines, found = official_glossary.find_block(src.lines, src.path, view)
    problems += found
    body = [(n, s) for n, s in src.lines if n not in set(glossary_lines)]
    sections, section_problems = split_sections(src, body)
    problems += section_problems
    report = Report(
        id=src.report_id,
        title=title,
        date=date,
        region=list(region),
        issuer=issuer,
        source_url=sidecar.get("source_url") or src.meta.get("source_url", ""),
        source_name=sidecar.get("source_name") or src.meta.get("source_name", ""),
        frontmatter=frontmatter_lines(src.meta.get("header", [])),
        sections=sections,
        source=src,
        glossary_lines=glossary_lines,
        title_year=title_year(title),
        congress=_congress(meeting, own_meeting),
        script=src.meta.get("script", "simplified"),
    )
    report.display_title = display_title(title, report.year, report.region, view)
    return report, problems


def split_sections(src: SourceText, lines: list[tuple[int, str]] | None = None) -> tuple[list[Section], list[Problem]]:
    """Sections at the top heading level found; `lines` defaults to the whole body."""
    lines = src.lines if lines is None else lines
    problems: list[Problem] = []
    headings = _accepted_headings(src.path, lines, problems)
    levels = [h.level for h in headings.values()]
    top = min(levels) if levels else None
    sections: list[Section] = [Section(slug="s0", heading=None)]
    following = {n: (lines[i + 1] if i + 1 < len(lines) else None) for i, (n, _) in enumerate(lines)}
    pending_lead: tuple[int, str] | None = None
    own_line_leads: set[int] = set()
    for n, line in lines:
        heading = headings.get(n)
        if heading and heading.level == top:
            slug = f"s{heading.number}"
            if any(s.slug == slug for s in sections):
                slug = f"{slug}-{n}"
            sections.append(Section(slug=slug, heading=heading))
        current = sections[-1]
        if heading:
            if heading.level != top:
                current.blocks.append(Block(heading=heading))
            rest = line[len(heading.marker) + len(heading.title):]
            if rest:  # run-in heading: the rest of the line is the section's first paragraph
                current.blocks.append(Block(paragraph=Paragraph(0, rest, n, heading=heading)))
            continue
        if pending_lead:  # a lead sentence on a line of its own joins the paragraph below it
            lead_line, lead = pending_lead
            pending_lead = None
            own_line_leads.add(lead_line)
            current.blocks.append(Block(paragraph=Paragraph(0, lead + line, lead_line, lead=lead)))
            continue
        nxt = following[n]
        if _is_standalone_lead(line) and nxt is not None and nxt[0] not in headings and not _is_standalone_lead(nxt[1]):
            pending_lead = (n, line)
            continue
        current.blocks.append(Block(paragraph=Paragraph(0, line, n, lead=_run_in_lead(line))))
    if pending_lead:
        sections[-1].blocks.append(Block(paragraph=Paragraph(0, pending_lead[1], pending_lead[0])))
    if not sections[0].blocks:
        sections.pop(0)
    for section in sections:
        _keep_leads_in_series(section, own_line_leads)
        for i, p in enumerate(section.paragraphs, 1):
            p.number = i
    if top is None:
        problems.append(Problem(src.path, None, "no headings found (一、 / （一） / 1. / （1）): the report is one page",
                                "rule `headings`; check the text or split it with headings", "warning"))
    return sections, problems


def _run_in_lead(line: str) -> str:
    """A short first sentence that names the paragraph's topic (扩大有效投资。…); not the salutation."""
    if SALUTATION_RE.match(line):
        return ""
    m = LEAD_RE.match(line)
    return m.group(1) if m else ""


def _keep_leads_in_series(section: Section, own_line_leads: set[int]) -> None:
    """Topic sentences come in series (扩大有效投资。… / 积极促进消费。…). A run-in lead with no
    neighbour that has one is an ordinary first sentence (2025年是很不平凡的一年。), so it stays text.
    A lead on a line of its own is kept: the report set it apart itself."""
    paragraphs = section.paragraphs
    run_in = [bool(p.lead) and p.line not in own_line_leads for p in paragraphs]
    has = [bool(p.lead) for p in paragraphs]
    for i, p in enumerate(paragraphs):
        if run_in[i] and not ((i > 0 and has[i - 1]) or (i + 1 < len(paragraphs) and has[i + 1])):
            p.lead = ""


def _is_standalone_lead(line: str) -> bool:
    """A short sentence alone on its line (生态底色更加亮丽。) heads the paragraph below it."""
    return bool(re.fullmatch(r"[^，,；;：:。！？]{3,22}[。！]", line)) and not SALUTATION_RE.match(line)


def _accepted_headings(path: str, lines: list[tuple[int, str]], problems: list[Problem]) -> dict[int, Heading]:
    """Headings whose numbering follows on; a marker out of sequence stays a paragraph, with a warning."""
    accepted: dict[int, Heading] = {}
    last: dict[int, int | None] = {level: None for level in range(1, 5)}
    for n, line in lines:
        parsed = parse_heading(line)
        if not parsed:
            continue
        level, marker, title, number = parsed
        expected = last[level]
        if expected is not None and number != expected + 1 and number != 1:
            if number <= expected:  # numbering going back: a list quoted in the text, not a heading
                problems.append(Problem(path, n, f"“{marker}” does not follow {expected} at its level; kept as a paragraph",
                                        "rule `heading sequence`: fix the numbering in the text or the sidecar", "warning"))
                continue
            problems.append(Problem(path, n, f"“{marker}” skips a number after {expected} at its level; kept as a heading",
                                    "rule `heading sequence`: a heading may be missing or split across lines in the text",
                                    "warning"))
        if level >= 3 and expected is None and number != 1:
            continue  # "3." starting a sentence is not a heading unless a list starts at 1
        first = re.match(r"^(.{2,}?[。！？])(?=.)", title)  # run-in heading: its first sentence is the title
        if first and len(first.group(1)) <= MAX_HEADING_TITLE:
            title = first.group(1)
        elif len(title) > MAX_HEADING_TITLE:
            if level >= 3:
                continue  # a numbered long sentence is an enumerated paragraph
            problems.append(Problem(path, n, f"heading “{marker}” runs on without a full stop; the whole line is its title",
                                    "rule `run-in heading`", "warning"))
        last[level] = number
        for lower in range(level + 1, 5):
            last[lower] = 0  # below a new heading, numbering starts again at 1
        accepted[n] = Heading(level=level, marker=marker, title=title, line=n, number=number)
    return accepted
