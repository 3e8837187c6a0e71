"""Printing, checked on paper: Chromium prints the built pages to PDF (A4 and Letter), and the PDF is
read back with poppler (pdftotext, pdfinfo, pdftoppm) as a reader holding the sheets would read it.
What the paper must hold comes from the report model, not from the HTML that was printed."""

from __future__ import annotations

import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import indexed_pages
from report_reader import pipeline
from report_reader.annotation_markdown import sanitize_markdown
from report_reader.render.html import plain
from report_reader.typography import display

REPORT_ID = "jinan-tianqiao-2024"
PAPER_POINTS = {"A4": (595.28, 841.89), "Letter": (612.0, 792.0)}
# Text of the site's furniture: none of it may reach the paper.
SCREEN_ONLY = ["搜索", "共用术语表", "加注", "参与贡献", "跳转至", "编辑此注释", "编辑此页", "返回正文", "本段链接",
               "切换到深色模式", "切换到浅色模式", "回到页面顶部", "返回报告", "打印本页"]
_FULL_TO_HALF = str.maketrans("，；：（）！？", ",;:()!?")


def squash(text: str) -> str:
    """Text as compared between the model and the paper: no whitespace, display punctuation folded
    back to the scraped half-width forms, margin numbers (¶3) and note calls ([2]) left out."""
    text = unicodedata.normalize("NFC", text).translate(_FULL_TO_HALF)
    text = re.sub(r"¶\d*(?!\S)", "", text)  # before spaces go: in “¶1 2025年” the 2025 is the report's
    return re.sub(r"\s+|\[\d+\]", "", text)


# ---------------------------------------------------------------- printing and reading PDFs

def print_pdf(page, url: str, paper: str, out: Path, background: bool = False) -> Path:
    if url:
        page.goto(url)
    page.evaluate("document.fonts.ready.then(() => true)")
    page.pdf(path=str(out), format=paper, print_background=background)
    return out


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", str(page_count(pdf)), str(pdf)],
                          capture_output=True, text=True, check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)]


def page_texts(pdf: Path) -> list[str]:
    """Each sheet's text, its page number ("3 / 8", bottom right) taken off and checked on the way."""
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    sheets = raw.split("\f")[:page_count(pdf)]
    out = []
    for i, text in enumerate(sheets, 1):
        folio = re.compile(rf"^\s*{i}\s*/\s*{len(sheets)}\s*$", re.M)
        if i > 1:  # the whole-report cover carries none, every other sheet does
            assert folio.search(text), f"sheet {i} has no page number “{i} / {len(sheets)}”"
        out.append(folio.sub("", text))
    return out


@dataclass
class Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    words: list[tuple[str, float, float]]  # text, left, right


def page_lines(pdf: Path) -> list[list[Line]]:
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    pages = []
    for pg in ET.fromstring(xml).iter(f"{{{ns['x']}}}page"):
        lines = []
        for ln in pg.iter(f"{{{ns['x']}}}line"):
            words = [(w.text or "", float(w.get("xMin")), float(w.get("xMax"))) for w in ln.iter(f"{{{ns['x']}}}word")]
            text = "".join(w[0] for w in words)
            if re.fullmatch(r"\d+/\d+", text):  # the page number
                continue
            lines.append(Line(text, *(float(ln.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")), words))
        pages.append(lines)
    return pages


def stranded_headings(pdf: Path, headings: list[str]) -> list[str]:
    """Headings that end a column of text on a sheet other than the last: left alone at the bottom.
    Glyph boxes of neighbouring lines overlap, so lines are ordered by their tops."""
    wanted = {squash(h) for h in headings if squash(h)}
    found = []
    sheets = page_lines(pdf)
    for number, lines in enumerate(sheets[:-1], 1):
        for line in lines:
            column = [o for o in lines if o.x0 < line.x1 and o.x1 > line.x0]  # lines it shares width with
            if any(o.y0 > line.y0 + 2 for o in column):
                continue  # something is printed below it
            column.sort(key=lambda o: o.y0)
            for k in (1, 2, 3):  # a heading may wrap onto two or three lines
                tail = squash("".join(o.text for o in column[-k:]))
                if tail in wanted:
                    found.append(f"sheet {number}: {tail}")
    return found


def pixels(pdf: Path, sheet: int, dpi: int = 30) -> tuple[int, int, bytes]:
    """One sheet as RGB bytes (pdftoppm's PPM output, read without an image library)."""
    ppm = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(sheet), "-l", str(sheet), str(pdf)],
                         capture_output=True, check=True).stdout
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", ppm)
    return int(m.group(1)), int(m.group(2)), ppm[m.end():]


# ---------------------------------------------------------------- what the paper must hold

@pytest.fixture(scope="module")
def model(built_project):
    result = pipeline.build(built_project)
    assert not result.errors
    return result.rendered, next(r for r in result.reports if r.id == REPORT_ID)


def section_terms(site, report, slug: str):
    ids = dict.fromkeys(o.term_id for o in site.occurrences[report.id] if o.section == slug)
    return [site.terms[t] for t in ids]


def section_anchors(site, report, slug: str):
    return [a for a in site.anchors[report.id] if a.section == slug]


def print_headings(page) -> list[str]:
    return page.evaluate("""[...document.querySelectorAll(
        ':is(.md-content, .rr-print-page main) :is(h1, h2, h3, h4, h5, h6),'
        + ' .rr-lead, .rr-termlist dt, .rr-note-quote, .rr-kicker, .rr-print-toc-title')].map(el => el.textContent)""")


# ---------------------------------------------------------------- a section on paper

@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_every_section_prints_whole_on_its_paper(page, site_url, model, tmp_path, paper):
    site, report = model
    for section in report.sections:
        url = f"{site_url}reports/{REPORT_ID}/{section.slug}/"
        pdf = print_pdf(page, url, paper, tmp_path / f"{section.slug}-{paper}.pdf")
        sheets = page_texts(pdf)
        text = squash("".join(sheets))
        where = f"{section.slug} on {paper}"

        width, height = PAPER_POINTS[paper]
        sizes = page_sizes(pdf)
        assert len(sizes) == len(sheets) >= 1
        assert all(abs(w - width) < 1 and abs(h - height) < 1 for w, h in sizes), (where, sizes)
        assert all(squash(s) for s in sheets), f"{where}: an empty sheet"

        # the report's title above the section's title, on the first sheet
        first = squash(sheets[0])
        assert first.startswith(squash(display(report.title))), where
        title = section.heading.marker + section.heading.title if section.heading else ""
        assert squash(display(title)) in first, where

        # every paragraph, whole, in order, with its number in the margin
        at = 0
        for p in section.paragraphs:
            found = text.find(squash(display(p.text)), at)
            assert found >= 0, f"{where}: paragraph {p.number} missing or out of order: {p.text[:40]}"
            at = found
        numbers = re.findall(r"¶(\d+)", "".join(sheets))
        assert numbers == [str(p.number) for p in section.paragraphs], f"{where}: margin numbers {numbers}"

        # every marked term's definition, and every note as a numbered endnote
        terms = section_terms(site, report, section.slug)
        assert terms, where
        glossary_at = text.find("本节术语")
        assert glossary_at > at, f"{where}: the term list is not at the end"
        for term in terms:
            assert squash(term.short) in text[glossary_at:], f"{where}: no definition of {term.term}"
        for a in section_anchors(site, report, section.slug):
            assert squash(f"{a.number}.“{display(a.note.quote)}”") in text, f"{where}: note {a.number}"
            assert squash(plain(sanitize_markdown(a.note.body)))[:60] in text, f"{where}: note {a.number} body"

        # no site furniture; the address and the build date once
        for word in SCREEN_ONLY:
            assert word not in text, f"{where}: “{word}” on paper"
        canonical = page.eval_on_selector("link[rel=canonical]", "el => el.href")
        assert text.count(squash(canonical)) == 1, f"{where}: page address not once"
        assert len(re.findall(r"生成日期:\d{4}-\d{2}-\d{2}", text)) == 1, f"{where}: build date not once"

        assert not stranded_headings(pdf, print_headings(page)), where


def test_print_type_is_a_readable_chinese_face(page, site_url):
    page.goto(f"{site_url}reports/{REPORT_ID}/s3/")
    page.emulate_media(media="print")
    style = page.eval_on_selector(".rr-p[id]", """el => { const s = getComputedStyle(el);
        return {size: parseFloat(s.fontSize), line: parseFloat(s.lineHeight), family: s.fontFamily}; }""")
    assert style["size"] >= 10.5 * 96 / 72, style  # 10.5 pt (五号) or more
    assert style["line"] / style["size"] >= 1.5, style
    first_face = style["family"].split(",")[0].strip().strip('"')
    assert re.search(r"CJK|Han|Song|SimSun|Hei|Kai|Fang", first_face), style
    # terms stay visibly marked on paper, without their screen tooltips
    term = page.eval_on_selector("a.rr-term", """el => ({style: getComputedStyle(el).borderBottomStyle,
        width: parseFloat(getComputedStyle(el).borderBottomWidth), tip: getComputedStyle(el, '::after').display})""")
    assert term["style"] != "none" and term["width"] > 0 and term["tip"] == "none", term
    # nothing of the site's frame is laid out
    for selector in [".md-header", ".md-sidebar", ".md-footer", ".rr-search-open", ".rr-addnote", ".rr-pl", ".rr-pager"]:
        shown = page.eval_on_selector_all(selector, "els => els.filter(el => getComputedStyle(el).display !== 'none').length")
        assert shown == 0, selector


def test_margin_numbers_sit_inside_the_sheet_and_left_of_the_text(page, site_url, tmp_path):
    pdf = print_pdf(page, f"{site_url}reports/{REPORT_ID}/s3/", "A4", tmp_path / "s3.pdf")
    words = [w for line in page_lines(pdf)[0] for w in line.words]
    numbers = [w for w in words if re.fullmatch(r"¶\d+", w[0])]
    assert numbers and [int(w[0][1:]) for w in numbers] == list(range(1, len(numbers) + 1)), numbers
    text_left = min(w[1] for w in words if not w[0].startswith("¶"))
    for text, left, right in numbers:
        assert left >= 8 * 72 / 25.4, (text, left)  # 8 mm or more from the paper's edge: no printer cuts it off
        assert right <= text_left, (text, right, text_left)  # in the margin, beside the text, not over it


@pytest.mark.parametrize("how", ["prefers-dark", "slate-chosen"])
def test_print_is_light_whatever_the_screen_theme(browser, site_url, tmp_path, how):
    context = browser.new_context(color_scheme="dark" if how == "prefers-dark" else "light")
    page = context.new_page()
    try:
        page.goto(f"{site_url}reports/{REPORT_ID}/s3/")
        if how == "slate-chosen":  # what Material's palette toggle does
            page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
        on_screen = page.eval_on_selector("body", "el => getComputedStyle(el).backgroundColor")
        assert on_screen != "rgb(255, 255, 255)", "the page is not dark on screen: the test proves nothing"

        page.emulate_media(media="print")
        colours = page.evaluate("""() => ({bg: getComputedStyle(document.body).backgroundColor,
            text: getComputedStyle(document.querySelector('.rr-p[id]')).color,
            term: getComputedStyle(document.querySelector('a.rr-term')).color})""")
        assert colours["bg"] == "rgb(255, 255, 255)", colours
        for key in ("text", "term"):
            r, g, b = (int(v) for v in re.findall(r"\d+", colours[key])[:3])
            assert max(r, g, b) <= 60, colours

        # with "background graphics" ticked, the sheet itself is still white with dark text
        page.emulate_media(media="null")  # page.pdf prints with print media unless "screen" is emulated
        pdf = print_pdf(page, "", "A4", tmp_path / "dark.pdf", background=True)
        width, height, rgb = pixels(pdf, 1)
        total = width * height
        white = sum(1 for i in range(0, len(rgb), 3) if min(rgb[i], rgb[i + 1], rgb[i + 2]) >= 235)
        dark = sum(1 for i in range(0, len(rgb), 3) if max(rgb[i], rgb[i + 1], rgb[i + 2]) <= 110)
        assert white / total > 0.6, f"only {white / total:.0%} of the sheet is white"  # dark: under 25%
        margin = [rgb[3 * (y * width + x)] for y in range(height) for x in range(3)]  # a strip at the left edge
        assert min(margin) >= 250, "the paper's edge is not white"
        assert dark / total > 0.005, f"almost no dark ink ({dark / total:.2%}): text is not dark"
    finally:
        context.close()


def test_stranded_heading_check_catches_one(page, site_url, tmp_path):
    """The orphan check is not vacuous: force a break after a heading and it must be reported."""
    page.goto(f"{site_url}reports/{REPORT_ID}/s3/")
    page.add_style_tag(content="@media print { #terms { break-after: page !important; } }")
    pdf = print_pdf(page, "", "A4", tmp_path / "forced.pdf")
    assert any("本节术语" in s for s in stranded_headings(pdf, print_headings(page)))


# ---------------------------------------------------------------- the whole report on paper

def test_whole_report_prints_cover_contents_sections_and_terms(page, site_url, model, tmp_path, built_project):
    site, report = model
    pdf = print_pdf(page, f"{site_url}reports/{REPORT_ID}/print/", "A4", tmp_path / "whole.pdf")
    sheets = page_texts(pdf)
    squashed = [squash(s) for s in sheets]
    text = "".join(squashed)
    assert all(squashed), "an empty sheet"
    assert all(abs(w - 595.28) < 1 and abs(h - 841.89) < 1 for w, h in page_sizes(pdf))

    # the cover, alone on the first sheet: title, region, date, source
    cover = squashed[0]
    assert squash(display(report.title)) in cover
    assert all(squash(r) in cover for r in report.region) and report.date in cover
    assert squash(report.source_name or report.source_url) in cover
    assert squash(display(report.sections[0].paragraphs[0].text))[:20] not in cover

    # the contents, every section in order
    titles = [squash(display(s.heading.marker + s.heading.title)) if s.heading else None for s in report.sections]
    contents = squashed[1]
    assert contents.startswith("目录")
    at = 0
    for s, title in zip(report.sections, titles):
        found = contents.find(title or ("开篇" if s.paragraphs[0].text.startswith("各位") else "标题前的内容"), at)
        assert found > at, f"{s.slug} not in the contents"
        at = found

    # every section complete and in order; each headed one starts a sheet of its own
    at = 0
    for s, title in zip(report.sections, titles):
        if title:
            starts = [i for i, sheet in enumerate(squashed) if sheet.startswith(title)]
            assert starts, f"{s.slug} does not start a new sheet"
        for p in s.paragraphs:
            found = text.find(squash(display(p.text)), at)
            assert found >= 0, f"{s.slug} ¶{p.number} missing or out of order"
            at = found
        for a in section_anchors(site, report, s.slug):
            assert squash(f"{a.number}.“{display(a.note.quote)}”") in text[at:], f"{s.slug} note {a.number}"

    # one combined term list after the text, with every marked term's definition
    assert text.count("全文术语") == 1
    terms_at = text.find("全文术语")
    assert terms_at > at
    assert any(sheet.startswith("全文术语") for sheet in squashed), "the term list does not start a sheet"
    used = dict.fromkeys(o.term_id for o in site.occurrences[report.id])
    for term_id in used:
        assert squash(site.terms[term_id].short) in text[terms_at:], term_id

    for word in SCREEN_ONLY:
        assert word not in text, f"“{word}” on paper"
    assert len(re.findall(r"生成日期:\d{4}-\d{2}-\d{2}", text)) == 1
    assert not stranded_headings(pdf, print_headings(page))

    # the print page's ids are its own (unique, every reference resolves); the section pages keep theirs
    html = (built_project / "site" / "reports" / REPORT_ID / "print" / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    # on paper a term is a plain mark: no tooltip, nothing for a screen reader to be pointed at
    marks = re.findall(r'<a class="rr-term"[^>]*>', html)
    assert marks and not [m for m in marks if "data-tip" in m or "aria-describedby" in m], marks[:3]
    described = set(re.findall(r'aria-describedby="([^"]+)"', html))
    assert described <= set(ids), sorted(described - set(ids))[:5]
    for s in report.sections:
        section_html = (built_project / "site" / "reports" / REPORT_ID / s.slug / "index.html").read_text(encoding="utf-8")
        assert all(f'id="p{p.number}"' in section_html for p in s.paragraphs), s.slug


def test_whole_report_prints_on_letter(page, site_url, model, tmp_path):
    _, report = model
    pdf = print_pdf(page, f"{site_url}reports/{REPORT_ID}/print/", "Letter", tmp_path / "whole-letter.pdf")
    sheets = page_texts(pdf)
    assert all(abs(w - 612) < 1 and abs(h - 792) < 1 for w, h in page_sizes(pdf))
    assert all(squash(s) for s in sheets)
    text = squash("".join(sheets))
    for s in report.sections:
        for p in s.paragraphs:
            assert squash(display(p.text)) in text, f"{s.slug} ¶{p.number}"
    assert not stranded_headings(pdf, print_headings(page))


def test_print_page_marked_up_from_the_section_pages_equals_one_marked_up_afresh(model):
    """The print page reuses each section page's paragraphs with the tooltips taken off (see
    markup._paragraph_html); it must come out exactly as when every paragraph is marked up for paper."""
    site, report = model
    from report_reader.render import pages

    for s in report.sections:
        pages.section_page(site, report, s)
    reused = dict(site.tables.of(report.id).screen_paragraphs)
    noted = {(a.section, a.paragraph) for a in site.anchors[report.id]}
    assert reused and noted and not noted & set(reused)  # paragraphs with notes are marked up apart
    from_sections = pages.print_page(site, report)
    assert not site.tables.of(report.id).screen_paragraphs
    afresh = pages.print_page(site, report)  # nothing left to reuse: every paragraph marked up for paper
    assert from_sections == afresh
    assert 'class="rr-term" href=' in afresh and "data-tip" in afresh  # marks, and note calls keep theirs


def test_a_page_prints_on_a4_unless_the_reader_picks_another_paper(page, site_url, tmp_path):
    """The print dialog's default comes from the style sheet's @page size (offices in China print on
    A4); Chromium honours it when asked to prefer the page's own size, as its dialog does."""
    page.goto(f"{site_url}reports/{REPORT_ID}/s3/")
    page.evaluate("document.fonts.ready.then(() => true)")
    out = tmp_path / "default.pdf"
    page.pdf(path=str(out), prefer_css_page_size=True)
    width, height = PAPER_POINTS["A4"]
    assert all(abs(w - width) < 1 and abs(h - height) < 1 for w, h in page_sizes(out))


# ---------------------------------------------------------------- the whole-report page on screen

def test_whole_report_page_is_a_document_of_its_own_reached_from_the_report(built_project, site_url, page):
    """Written by build_docs.py outside MkDocs: no theme's shell or navigation, not in search, and
    still where the report's navigation and its landing page lead."""
    site = built_project / "site"
    html = (site / "reports" / REPORT_ID / "print" / "index.html").read_text(encoding="utf-8")
    assert html == (built_project / "docs" / "reports" / REPORT_ID / "print" / "index.html").read_text(encoding="utf-8")
    assert "md-header" not in html and "md-nav" not in html and "md-sidebar" not in html
    assert not (built_project / "docs" / "reports" / REPORT_ID / "print.md").exists()
    indexed = indexed_pages(site)
    assert indexed and not [url for url in indexed if "/print/" in url]
    landing = (site / "reports" / REPORT_ID / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="md-nav__link[^"]*" href="print/"', landing) or 'href="print/" class="md-nav__link' in landing
    assert '<a class="md-button" href="print/">打印全文</a>' in landing

    page.goto(f"{site_url}reports/{REPORT_ID}/")
    with page.expect_navigation():
        page.locator("article a.md-button", has_text="打印全文").click()
    assert page.url == f"{site_url}reports/{REPORT_ID}/print/"
    assert page.title() == "打印全文 · 济南市天桥区 2024年"
    assert page.locator("link[rel=canonical]").get_attribute("href").endswith(f"/reports/{REPORT_ID}/print/")
    assert page.requests_seen and all(u.startswith(site_url) for u in page.requests_seen)


def test_whole_report_page_on_a_phone_keyboard_and_print_button(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    try:
        pg.goto(f"{site_url}reports/{REPORT_ID}/print/")
        # nothing wider than the phone
        assert pg.evaluate("document.documentElement.scrollWidth") <= 390
        # the keyboard: the way back first, then the print button (shown with JavaScript), then the contents
        pg.keyboard.press("Tab")
        assert pg.evaluate("document.activeElement.textContent").startswith("← 返回报告")
        pg.keyboard.press("Tab")
        assert pg.evaluate("document.activeElement.textContent") == "打印本页"
        pg.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")  # the dialog itself is Chromium's
        pg.keyboard.press("Enter")
        assert pg.evaluate("window.printed") == 1
        pg.keyboard.press("Tab")
        assert pg.evaluate("document.activeElement.closest('.rr-print-toc') !== null")
        # a contents entry leads to its part
        pg.keyboard.press("Enter")
        assert pg.url.endswith("#s0-top")
        pg.goto(f"{site_url}reports/{REPORT_ID}/print/")
        with pg.expect_navigation():
            pg.get_by_role("link", name="← 返回报告：济南市天桥区 2024年").tap()
        assert pg.url == f"{site_url}reports/{REPORT_ID}/"
    finally:
        context.close()

    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    try:
        pg.goto(f"{site_url}reports/{REPORT_ID}/print/")
        assert not pg.locator(".rr-print-button").is_visible()  # a button that cannot work is not shown
        assert pg.locator(".rr-print-back").is_visible()
    finally:
        context.close()


def test_whole_report_page_is_dark_on_a_dark_screen_and_light_on_paper(browser, site_url):
    context = browser.new_context(color_scheme="dark")
    pg = context.new_page()
    try:
        pg.goto(f"{site_url}reports/{REPORT_ID}/print/")
        read = """() => ({bg: getComputedStyle(document.body).backgroundColor,
            text: getComputedStyle(document.querySelector('.rr-p[id]')).color,
            term: getComputedStyle(document.querySelector('a.rr-term')).color})"""
        on_screen = pg.evaluate(read)
        r, g, b = (int(v) for v in re.findall(r"\d+", on_screen["bg"])[:3])
        assert max(r, g, b) < 60, on_screen
        pg.emulate_media(media="print")
        colours = pg.evaluate(read)
        assert colours["bg"] == "rgb(255, 255, 255)", colours
        for key in ("text", "term"):
            r, g, b = (int(v) for v in re.findall(r"\d+", colours[key])[:3])
            assert max(r, g, b) <= 60, colours
    finally:
        context.close()
