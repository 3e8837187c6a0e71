"""A report printed as a PDF the way governments publish them, for the import tests: an excerpt of a
report (tests/fixtures/pdf-text-original.txt, from the Shaanxi corpus report) with its title as a running header and a page number (— 12 —) on every page, printed
by Chromium (Playwright, as the browser tests use). Also a command:

    python tests/pdf_fixture.py tests/fixtures/pdf-text-original.txt /tmp/report.pdf"""

from __future__ import annotations

import html
import os
import sys
from pathlib import Path

TITLE = "陕西省2026年政府工作报告"
DATELINE = "——2026年1月27日在陕西省第十四届人民代表大会第四次会议上"
SPEAKER = "陕西省省长 赵刚"
MAX_CHARS = 2600  # four or five pages: enough page breaks, a small file


def excerpt(source: Path) -> list[str]:
    """The report's lines printed: from the salutation on, up to MAX_CHARS, ending on a paragraph."""
    lines = [s.strip() for s in source.read_text(encoding="utf-8").splitlines()]
    start = next(i for i, s in enumerate(lines) if s.startswith("各位代表"))
    out, size = [], 0
    for line in lines[start:]:
        if not line:
            continue
        out.append(line)
        size += len(line)
        if size > MAX_CHARS and not line[:2].endswith("、"):
            break
    return out


def make_pdf(source: Path, target: Path, browser=None) -> list[str]:
    """Print the excerpt to `target` with a Playwright browser (a new one when none is given);
    returns the lines printed (title block first)."""
    body = excerpt(source)
    tags = "\n".join(f"<h2>{html.escape(s)}</h2>" if s[1:2] == "、" else f"<p>{html.escape(s)}</p>" for s in body)
    page = f"""<!doctype html><meta charset="utf-8"><style>
body {{ font-family: 'Noto Sans CJK SC', sans-serif; font-size: 16pt; line-height: 1.8; }}
h1 {{ text-align: center; font-size: 22pt; }} .sub {{ text-align: center; text-indent: 0; }}
p {{ text-indent: 2em; margin: 0; text-align: justify; }} h2 {{ font-size: 16pt; margin: .5em 0; }}
</style>
<h1>{TITLE}</h1><p class="sub">{DATELINE}</p><p class="sub">{SPEAKER}</p>
{tags}"""
    style = "font-size:10pt;width:100%;text-align:center;font-family:'Noto Sans CJK SC'"

    def print_with(b) -> None:
        tab = b.new_page()
        tab.set_content(page)
        tab.pdf(path=str(target), format="A4", display_header_footer=True,
                header_template=f'<div style="{style}">{TITLE}</div>',
                footer_template=f'<div style="{style}">— <span class="pageNumber"></span> —</div>',
                margin={"top": "25mm", "bottom": "25mm", "left": "25mm", "right": "25mm"})
        tab.close()

    if browser is not None:
        print_with(browser)
    else:
        from playwright.sync_api import sync_playwright
        with sync_playwright() as p:
            own = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
            print_with(own)
            own.close()
    return [TITLE, DATELINE, SPEAKER, *body]


if __name__ == "__main__":
    make_pdf(Path(sys.argv[1]), Path(sys.argv[2]))
