"""How tests/fixtures/pdf-text*.txt and tests/fixtures/traditional*.txt were made, from the corpus
reports (../shared/corpus/): run once, the output is committed. Each form a report really arrives in,
made from sentences of a report the project already has (no held-out report is used):

- pdf-text-original.txt: an excerpt of the Shaanxi report, one paragraph a line, as published;
  pdf-text.txt: the same as text extracted from a PDF: hard-wrapped at 28 characters (a closing mark
  never starts a line), 30 lines a page, the title as a running header, a footer, and page numbers
  in three forms (— 12 —, -12-, 第12页).
- traditional-original.txt: an excerpt of the Qinghai report as a reprint site serves it (a source
  line, a font-size widget, a share widget); traditional.txt: the same converted to traditional
  characters by OpenCC (s2t, phrases included), as reprint sites do.

    python tests/make_fixtures.py ../shared/corpus tests/fixtures"""

from __future__ import annotations

import sys
from pathlib import Path

WIDTH = 28
PAGE_LINES = 30
NO_LINE_START = "，。、；：！？）》」』”’%"
MAX_CHARS = 14000


def paragraphs(path: Path, start: str, limit: int = MAX_CHARS) -> list[str]:
    lines = [s.strip() for s in path.read_text(encoding="utf-8").splitlines()]
    first = next(i for i, s in enumerate(lines) if s.startswith(start))
    out, size = [], 0
    for line in lines[first:]:
        if line:
            out.append(line)
            size += len(line)
            if size > limit and line[1:2] != "、":
                break
    return out


def wrap(line: str) -> list[str]:
    out, rest = [], line
    while len(rest) > WIDTH:
        cut = WIDTH
        while cut < len(rest) and rest[cut] in NO_LINE_START:  # a closing mark stays on its line
            cut += 1
        out.append(rest[:cut])
        rest = rest[cut:]
    return out + ([rest] if rest else [])


def as_pdf_text(lines: list[str], header: str, footer: str) -> str:
    """Lines wrapped and paged: header, a blank, the page's lines, a blank, the page number, the footer."""
    wrapped = [w for line in lines for w in wrap(line)]
    forms = ("— {} —", "-{}-", "第{}页")
    pages = []
    for number, at in enumerate(range(0, len(wrapped), PAGE_LINES), 1):
        body = "\n".join(wrapped[at:at + PAGE_LINES])
        pages.append(f"{header}\n\n{body}\n\n{forms[number % 3].format(number)}\n{footer}\n")
    return "\n".join(pages)


def main(corpus: Path, fixtures: Path) -> None:
    title = "陕西省2026年政府工作报告"
    block = [title, "——2026年1月27日在陕西省第十四届人民代表大会第四次会议上", "陕西省省长 赵刚"]
    original = block + paragraphs(corpus / "shaanxi-2026.txt", "各位代表：")
    (fixtures / "pdf-text-original.txt").write_text("\n".join(original) + "\n", encoding="utf-8")
    (fixtures / "pdf-text.txt").write_text(as_pdf_text(original, title, "陕西省人民政府"), encoding="utf-8")

    import opencc
    block = ["政府工作报告", "来源：青海日报", "【字体：", "大", "中", "小", "】",
             "——2026年1月27日在青海省第十四届", "人民代表大会第四次会议上", "青海省省长 罗东川"]
    simplified = block + paragraphs(corpus / "qinghai-2026.txt", "各位代表：", 12000) + ["分享到：", "责任编辑：王明"]
    text = "\n".join(simplified) + "\n"
    (fixtures / "traditional-original.txt").write_text(text, encoding="utf-8")
    (fixtures / "traditional.txt").write_text(opencc.OpenCC("s2t").convert(text), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
