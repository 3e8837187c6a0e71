"""The data that flows between the pipeline's stages: plain dataclasses (and one named tuple), no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(frozen=True)
class Problem:
    """An error or warning born where data is read; carries where and how to fix it."""

    file: str
    line: int | None
    message: str
    hint: str = ""
    severity: str = "error"  # "error" stops the build; "warning" is printed

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.severity}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


@dataclass
class RemovedLine:
    line: int  # 1-based line number in the seed
    text: str
    rule: str  # name of the furniture rule that removed it


@dataclass
class SourceText:
    """A seed after decoding and furniture removal: body lines keep their seed line numbers."""

    path: str
    report_id: str
    # The next two are emptied once a report is analysed (pipeline.analyse): its sections hold the words.
    raw: str  # decoded text exactly as in the seed (BOM dropped, newlines kept)
    lines: list[tuple[int, str]]  # (seed line number, text) of the report itself
    removed: list[RemovedLine] = field(default_factory=list)
    meta: dict = field(default_factory=dict)  # what furniture told us: source_url, source, published
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class Paragraph:
    number: int  # 1-based within its section: the citable paragraph number
    text: str  # the report's words, verbatim
    line: int  # seed line number
    lead: str = ""  # a short first sentence shown as a sub-heading ("" when none)
    heading: "Heading | None" = None  # set when this paragraph is a heading's run-in text

    @property
    def id(self) -> str:
        return f"p{self.number}"

    @property
    def body(self) -> str:
        """The text after the lead (the whole text when there is no lead)."""
        return self.text[len(self.lead):]


@dataclass
class Heading:
    level: int  # 1 = 一、  2 = (一)  3 = 1.  4 = (1)
    marker: str  # "一、", "(三)" ... as written
    title: str  # the heading's words after the marker, verbatim
    line: int
    number: int = 0  # ordinal parsed from the marker (三 → 3)


@dataclass
class Block:
    """One item of a section body, in order: a heading or a paragraph."""

    heading: Heading | None = None
    paragraph: Paragraph | None = None


@dataclass
class Section:
    slug: str  # file name of its page, stable: "s0" (text before any heading), "s1", ...
    heading: Heading | None  # None for text before the first top-level heading
    blocks: list[Block] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b.paragraph for b in self.blocks if b.paragraph is not None]


@dataclass
class Report:
    id: str  # seed file name without .txt; its URL folder
    title: str
    date: str  # ISO yyyy-mm-dd, "" when unknown
    region: list[str]  # ["山东省", "济南市", "天桥区"]
    issuer: str  # 济南市天桥区人民政府
    source_url: str
    source_name: str
    frontmatter: list[str]  # dateline, speaker: lines that belong to the report but precede its body
    sections: list[Section]
    source: SourceText
    glossary_lines: list[int] = field(default_factory=list)  # lines of the report's own 名词解释
    title_year: str = ""  # the year the title names (2023年…政府工作报告), "" when none
    # The title a site of many reports shows: the report's own when it names place and year, else
    # with them added (政府工作报告 → 2026年广东省政府工作报告). The own title stays on its landing page.
    display_title: str = ""
    congress: str = ""  # the meeting the dateline names: 广东省第十四届人民代表大会第五次会议
    script: str = "simplified"  # or "traditional": the report's own characters (never converted)
    figures: list["Figure"] = field(default_factory=list)  # its targets and results, in reading order (figures.py)

    def __post_init__(self) -> None:
        self.display_title = self.display_title or self.title  # set by structure.build_report

    @property
    def region_path(self) -> str:
        return "".join(self.region)

    @property
    def year(self) -> str:
        """The year the report is known by: its title's, else its date's (reports for a year are
        sometimes read out in the December before it)."""
        return self.title_year or self.date[:4]


@dataclass
class Source:
    """A web source (who published it, its title and date, the publisher's own address, and `via`, where
    a reprint was read) or a passage of a report (report + quote)."""

    title: str = ""
    url: str = ""
    publisher: str = ""
    date: str = ""
    via: str = ""
    report: str = ""  # a passage of a report cited as source
    quote: str = ""


@dataclass
class Item:
    text: str
    passage: str = ""


@dataclass(frozen=True)
class Scope:
    """Where a term applies: everywhere, in a region and every place below it (山东省济南市 holds
    天桥区), or in one report. Written `all`, `region:<path>`, `report:<id>` in messages."""

    kind: str = "all"  # all | region | report
    value: str = ""  # the region's path (山东省济南市) or the report's id

    @property
    def everywhere(self) -> bool:
        return self.kind == "all"

    def applies_to(self, report: Report) -> bool:
        if self.kind == "all":
            return True
        if self.kind == "region":
            return report.region_path.startswith(self.value)
        return report.id == self.value

    def overlaps(self, other: "Scope", reports: list[Report]) -> bool:
        """Whether some report could be in both (a region and a report: only if a report says so)."""
        if self.everywhere or other.everywhere:
            return True
        if self.kind == other.kind == "region":
            return self.value.startswith(other.value) or other.value.startswith(self.value)
        if self.kind == other.kind == "report":
            return self.value == other.value
        region, report_id = (self.value, other.value) if self.kind == "region" else (other.value, self.value)
        return any(r.id == report_id and r.region_path.startswith(region) for r in reports)

    def __str__(self) -> str:
        return "all" if self.everywhere else f"{self.kind}:{self.value}"

    @classmethod
    def parse(cls, text: str) -> "Scope":
        kind, _, value = text.partition(":")
        return cls(kind, value)


EVERYWHERE = Scope()


@dataclass
class Term:
    id: str
    term: str
    english: str
    category: str
    short: str
    scope: Scope
    status: str  # verified | unverified | official
    file: str
    pinyin: str = ""
    variants: list[str] = field(default_factory=list)
    explanation: str = ""  # Markdown, as written
    explanation_html: str = ""  # the same as safe HTML, made when the file is read (in parallel, once)
    items: list[Item] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    line: int = 1

    @property
    def forms(self) -> list[str]:
        return [self.term, *self.variants]

    def applies_to(self, report: Report) -> bool:
        return self.scope.applies_to(report)


@dataclass
class Note:
    id: str
    report: str
    quote: str
    body: str
    file: str
    prefix: str = ""
    suffix: str = ""
    sources: list[Source] = field(default_factory=list)
    author: str = ""
    line: int = 1


class Occurrence(NamedTuple):
    """A term found in a paragraph: [start, end) offsets into Paragraph.text. A named tuple, not a
    dataclass: a large site has hundreds of thousands (hot loops read it by position, see
    layout.site)."""

    term_id: str
    section: str
    paragraph: int
    start: int
    end: int
    within: str = ""  # id of the longer term this one is nested in ("" when marked itself)


@dataclass
class Anchor:
    """A note resolved to its passage."""

    note: Note
    section: str
    paragraph: int
    start: int
    end: int
    number: int = 0  # 1-based within its section


@dataclass
class Figure:
    """A key figure the report states: a target for the coming year or a result of the past one.
    Every text field is the report's words as written (see figures.py); `start`/`end` are offsets of
    the figure (value, unit, qualifier) in Paragraph.text, both -1 for a figure a sidecar added."""

    kind: str  # "target" | "result"
    indicator: str  # 地区生产总值增长
    value: str  # "5", "4.5—5", "一千二百"
    unit: str  # "%", "万人", "" when none
    qualifier: str  # 左右, 以上, 以内, 力争, 力争…以上, "" when none
    section: str  # section slug, "s3"
    paragraph: int  # paragraph number in the section (its anchor is p<n>)
    start: int = -1
    end: int = -1
    origin: str = "text"  # "text" (extracted) | "sidecar" (given or corrected by hand)
