"""What pages and reports are called in lists, navigation and titles: decided with the layout,
before any page renders. Plain text; escaping is the job of whatever prints it."""

from __future__ import annotations

from ..model import Report, Section
from ..typography import display


def short_name(report: Report) -> str:
    """A label for navigation and lists: 济南市天桥区 2024年."""
    region = "".join(report.region[1:]) if len(report.region) > 1 else report.region_path
    return f"{region or report.display_title} {report.year}年".strip()


def section_label(section: Section) -> str:
    return display(section.heading.marker) if section.heading else "开篇"


def preamble_title(section: Section) -> str:
    return "开篇" if section.paragraphs[0].text.startswith("各位") else "标题前的内容"


def short_title(section: Section) -> str:
    if section.heading is None:
        return preamble_title(section)
    return section.heading.marker + section.heading.title


def nav_title(section: Section) -> str:
    return display(short_title(section))
