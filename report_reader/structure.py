"""Stage 2: SourceText → Report. Metadata from the title, dateline and sidecar; headings by
level with their numbering checked; lead sentences; sections with stable slugs."""

from __future__ import annotations

import re

from .model import Block, Heading, Paragraph, Problem, Report, Section, SourceText
from .patterns import HEADING_PATTERNS, cn_number

PROVINCES = (
    "北京市 天津市 上海市 重庆市 河北省 山西省 辽宁省 吉林省 黑龙江省 江苏省 浙江省 安徽省 福建省 江西省 "
    "山东省 河南省 湖北省 湖南省 广东省 海南省 四川省 贵州省 云南省 陕西省 甘肃省 青海省 台湾省 "
    "内蒙古自治区 广西壮族自治区 西藏自治区 宁夏回族自治区 新疆维吾尔自治区 香港特别行政区 澳门特别行政区"
).split()
_SHORT = {p[:2] if not p.startswith(("黑龙江", "内蒙古")) else p[:3]: p for p in PROVINCES}
CITY_RE = re.compile(r"^([\u4e00-\u9fff]{1,7}?(?:自治州|市|州|盟|地区))")
COUNTY_RE = re.compile(r"^([\u4e00-\u9fff]{1,7}?(?:自治县|新区|区|县|市|旗))(?=人民政府|政府|$)")
DATE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
ISO_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
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


def _iso(text: str) -> str:
    m = DATE_RE.search(text) or ISO_RE.search(text)
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else ""


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
    header = {kind: text for _, text, kind in src.meta.get("header", [])}
    title = sidecar.get("title") or header.get("title", "")
    dateline = header.get("dateline", "")
    region = sidecar.get("region") or parse_region(title) or parse_region(re.sub(r"^.*?日在", "", dateline))
    if isinstance(region, str):
        region = [region]
    if not title:
        title = f"{''.join(region)}政府工作报告"
        problems.append(Problem(src.path, None, "no title line found (a short line containing 政府工作报告)",
                                "add `title:` to the sidecar seeds/<name>.yml", "warning"))
    date = str(sidecar.get("date") or _iso(dateline) or _iso(title) or "")
    if not date:
        problems.append(Problem(src.path, None, "no date found in the title or a dateline (2024年1月16日)",
                                "add `date: YYYY-MM-DD` to the sidecar", "warning"))
    issuer = sidecar.get("issuer") or ("".join(region[-2:] if len(region) > 1 else region) + "人民政府")
    frontmatter = [text for _, text, kind in src.meta.get("header", []) if kind in ("dateline", "speaker")]
    sections, section_problems = split_sections(src)
    problems += section_problems
    published = _iso(str(src.meta.get("published", "")))
    report = Report(
        id=src.report_id,
        title=title,
        date=date,
        region=list(region),
        issuer=issuer,
        source_url=sidecar.get("source_url") or src.meta.get("source_url", ""),
        source_name=sidecar.get("source_name") or src.meta.get("source_name", ""),
        frontmatter=frontmatter,
        sections=sections,
        source=src,
    )
    if published:
        report.source.meta["published_iso"] = published
    return report, problems


def split_sections(src: SourceText) -> tuple[list[Section], list[Problem]]:
    problems: list[Problem] = []
    headings = _accepted_headings(src, problems)
    levels = [h.level for h in headings.values()]
    top = min(levels) if levels else None
    sections: list[Section] = [Section(slug="s0", heading=None)]
    pending_lead: tuple[int, str] | None = None
    for n, line in src.lines:
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
            current.blocks.append(Block(paragraph=Paragraph(0, lead + line, lead_line, lead=lead)))
            continue
        if _is_standalone_lead(line) and not _next_is_heading(src, n, headings):
            pending_lead = (n, line)
            continue
        m = LEAD_RE.match(line)
        current.blocks.append(Block(paragraph=Paragraph(0, line, n, lead=m.group(1) if m else "")))
    if pending_lead:
        sections[-1].blocks.append(Block(paragraph=Paragraph(0, pending_lead[1], pending_lead[0])))
    if not sections[0].blocks:
        sections.pop(0)
    for section in sections:
        for i, p in enumerate(section.paragraphs, 1):
            p.number = i
    if top is None:
        problems.append(Problem(src.path, None, "no headings found (一、 / （一） / 1. / （1）): the report is one page",
                                "rule `headings`; check the text or split it with headings", "warning"))
    return sections, problems


def _is_standalone_lead(line: str) -> bool:
    return bool(re.fullmatch(r"[^，,；;：:。！？]{3,22}[。！]", line))


def _next_is_heading(src: SourceText, n: int, headings: dict) -> bool:
    after = [ln for ln, _ in src.lines if ln > n]
    return not after or after[0] in headings


def _accepted_headings(src: SourceText, problems: list[Problem]) -> dict[int, Heading]:
    """Headings whose numbering follows on; a marker out of sequence stays a paragraph, with a warning."""
    accepted: dict[int, Heading] = {}
    last: dict[int, int | None] = {level: None for level in range(1, 5)}
    for n, line in src.lines:
        parsed = parse_heading(line)
        if not parsed:
            continue
        level, marker, title, number = parsed
        expected = last[level]
        if expected is not None and number != expected + 1 and number != 1:
            problems.append(Problem(src.path, n, f"“{marker}” does not follow “{expected}” at its level; kept as a paragraph",
                                    "rule `heading sequence`: fix the numbering in the text or the sidecar", "warning"))
            continue
        if level >= 3 and expected is None and number != 1:
            continue  # "3." starting a sentence is not a heading unless a list starts at 1
        if len(title) > MAX_HEADING_TITLE:
            m = re.match(r"^(.{2,%d}?[。！？])" % MAX_HEADING_TITLE, title)
            if not m:
                if level >= 3:
                    continue  # a numbered long sentence is an enumerated paragraph
                problems.append(Problem(src.path, n, f"heading “{marker}” runs on without a full stop; the whole line is its title",
                                        "rule `run-in heading`", "warning"))
            else:
                title = m.group(1)
        last[level] = number
        for lower in range(level + 1, 5):
            last[lower] = 0  # below a new heading, numbering starts again at 1
        accepted[n] = Heading(level=level, marker=marker, title=title, line=n, number=number)
    return accepted
