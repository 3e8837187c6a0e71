"""Reports as they really arrive (issue 21): a dateline wrapped over lines under a bare title, text
extracted from a PDF (hard-wrapped, paged, with page numbers and running headers), a copy converted
to traditional characters, and a real PDF imported with `build_docs.py import`. Each is measured as
held-out reports are checked: placed under the right region and year, every heading and at least 99%
of the sentences kept, no page number or running header left, and a traditional copy given at least
95% of the term marks its simplified original gets. Fixtures: tests/make_fixtures.py, pdf_fixture.py."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from conftest import copy_project, run_build
from report_reader import ingest, script, structure
from report_reader.model import Report

FIXTURES = Path(__file__).parent / "fixtures"
WRAPPED = FIXTURES / "wrapped-dateline.txt"
PDF_TEXT, PDF_ORIGINAL = FIXTURES / "pdf-text.txt", FIXTURES / "pdf-text-original.txt"
TRADITIONAL, TRADITIONAL_ORIGINAL = FIXTURES / "traditional.txt", FIXTURES / "traditional-original.txt"
# Headings as the tests recognise them, independently of the code: 一、 and （一）.
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")
PAGE_NUMBER = re.compile(r"^(?:[-—–]+\s*\d+\s*[-—–]+|第\d+页|\d+)$")
SENTENCE = re.compile(r"[^。！？；]+[。！？；]?")


def read(path: Path, sidecar: dict | None = None) -> Report:
    _, src, problems = ingest.ingest(path, sidecar or {}, path.name)
    assert src is not None, problems
    report, _ = structure.build_report(src, sidecar or {})
    return report


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def units(report: Report) -> list[str]:
    """The report's words as the site shows them: front matter, headings and paragraphs."""
    out = list(report.frontmatter)
    for section in report.sections:
        if section.heading:
            out.append(section.heading.marker + section.heading.title)
        for block in section.blocks:
            if block.heading:
                out.append(block.heading.marker + block.heading.title)
            if block.paragraph:
                out.append(block.paragraph.text)
    return out


def headings_of(report: Report) -> list[str]:
    return [h.marker + h.title for s in report.sections for h in [s.heading, *(b.heading for b in s.blocks)] if h]


def body_lines(original: Path) -> list[str]:
    """The original's lines from the salutation on; a line holding only “（” belongs to the next one."""
    lines: list[str] = []
    for s in original.read_text(encoding="utf-8").splitlines():
        if s.strip():
            if lines and lines[-1] in ("（", "("):
                lines[-1] += s.strip()
            else:
                lines.append(s.strip())
    return lines[next(i for i, s in enumerate(lines) if s.startswith("各位代表")):]


def headings_kept(report: Report, original: Path) -> float:
    """Share of the original's 一、/（一） headings that are headings of the report, in order."""
    expected = [s for s in body_lines(original) if HEADING.match(s)]
    found = [h for h in headings_of(report) if HEADING.match(h)]
    kept = sum(1 for s, h in zip(expected, found) if s.startswith(h))
    return kept / len(expected) if len(found) == len(expected) else 0.0


def sentences_kept(report: Report, original: Path) -> float:
    """Share of the original's sentences found whole in one unit of the report."""
    shown = "\n".join(norm(u) for u in units(report))
    sentences = [norm(s) for line in body_lines(original) for s in SENTENCE.findall(line) if len(norm(s)) > 1]
    return sum(1 for s in sentences if s in shown) / len(sentences)


# ---------------------------------------------------------------- a wrapped dateline, a bare title

def test_wrapped_dateline_places_the_report_and_names_it():
    report = read(WRAPPED)
    assert (report.region, report.year, report.date) == (["云南省"], "2026", "2026-01-28")
    assert report.congress == "云南省第十四届人民代表大会第四次会议"
    assert report.title == "政府工作报告"
    assert report.display_title == "2026年云南省政府工作报告"
    assert report.frontmatter[0] == "——2026年1月28日在云南省第十四届人民代表大会第四次会议上"
    assert headings_kept(report, WRAPPED) == 1.0
    assert sentences_kept(report, WRAPPED) >= 0.99


def test_without_the_join_the_dateline_is_not_read(tmp_path):
    """The measure above can fail: with the rule off, no date is found in the wrapped dateline."""
    report = read(WRAPPED, {"furniture": {"disable": ["wrapped dateline"]}})
    assert report.date == "" and report.congress == ""


@pytest.mark.parametrize("block", [
    ["——2026年1月26日在广东省第十四届", "人民代表大会第五次会议上", "广东省省长 孟凡利"],
    ["——2026年1月26日", "在广东省第十四届人民代表大会", "第五次会议上", "省长 孟凡利"],
    ["（2026年1月26日在广东省第十四届人民", "代表大会第五次会议上）"],
])
def test_a_dateline_wrapped_anywhere_is_read(tmp_path, block):
    seed = tmp_path / "gd.txt"
    seed.write_text("\n".join(["政府工作报告", *block, "各位代表：", "现在，我代表省人民政府向大会报告工作，请予审议。",
                               "一、过去一年工作回顾", "过去一年，全省经济运行稳中有进，发展质量稳步提升。"]) + "\n", encoding="utf-8")
    report = read(seed)
    assert (report.region, report.date) == (["广东省"], "2026-01-26")
    assert report.congress == "广东省第十四届人民代表大会第五次会议"
    assert report.display_title == "2026年广东省政府工作报告"


def test_the_speakers_title_names_the_region_when_the_dateline_does_not(tmp_path):
    seed = tmp_path / "x.txt"
    seed.write_text("政府工作报告\n——2026年1月26日在省第十四届人民代表大会第五次会议上\n广东省省长 孟凡利\n各位代表：\n"
                    "现在，我代表省人民政府向大会报告工作，请予审议。\n", encoding="utf-8")
    report = read(seed)
    assert report.region == ["广东省"] and report.display_title == "2026年广东省政府工作报告"


def test_a_line_starting_with_a_date_is_not_taken_for_a_dateline(tmp_path):
    seed = tmp_path / "x.txt"
    body = "2025年1月1日起，全面实施新的营商环境条例，各项改革举措落地见效。"
    seed.write_text(f"2026年广东省政府工作报告\n各位代表：\n{body}\n人民代表大会制度不断完善。\n", encoding="utf-8")
    report = read(seed)
    assert body in units(report) and "人民代表大会制度不断完善。" in units(report)


@pytest.mark.parametrize("title, year, region, shown", [
    ("政府工作报告", "2026", ["广东省"], "2026年广东省政府工作报告"),
    ("2026年政府工作报告", "2026", ["云南省"], "2026年云南省政府工作报告"),
    ("陕西省2026年政府工作报告", "2026", ["陕西省"], "陕西省2026年政府工作报告"),
    ("济南市天桥区人民政府工作报告", "2024", ["山东省", "济南市", "天桥区"], "2024年济南市天桥区人民政府工作报告"),
    ("天桥区政府工作报告(2024年1月16日)", "2024", ["山东省", "济南市", "天桥区"], "天桥区政府工作报告(2024年1月16日)"),
    ("政府工作报告", "", [], "政府工作报告"),
])
def test_display_title_adds_only_what_the_title_lacks(title, year, region, shown):
    assert structure.display_title(title, year, region) == shown


# ---------------------------------------------------------------- text extracted from a PDF

def test_pdf_text_keeps_every_heading_and_sentence_and_no_page_furniture():
    report = read(PDF_TEXT)
    assert (report.region, report.year) == (["陕西省"], "2026")
    assert headings_kept(report, PDF_ORIGINAL) == 1.0
    assert sentences_kept(report, PDF_ORIGINAL) >= 0.99
    shown = units(report)
    assert not [u for u in shown if PAGE_NUMBER.match(norm(u))]
    assert not [u for u in shown if re.search(r"[-—]\s*\d+\s*[-—]$|第\d+页$", u)]
    # The running header (the title) and the footer are in no paragraph, as in the original.
    for furniture in ("陕西省2026年政府工作报告", "陕西省人民政府"):
        assert sum(u.count(furniture) for u in shown) == sum(s.count(furniture) for s in body_lines(PDF_ORIGINAL))
    rules = {r.rule for r in report.source.removed}
    assert {"page number", "running header"} <= rules
    assert sum(r.rule == "page number" for r in report.source.removed) == PDF_TEXT.read_text().count("页\n") + \
        len(re.findall(r"^[-—].*\d+.*[-—]$", PDF_TEXT.read_text(), re.M))


def test_pdf_text_rules_can_be_switched_off_and_then_the_furniture_stays():
    report = read(PDF_TEXT, {"furniture": {"disable": ["page number", "running header"]}})
    assert any(PAGE_NUMBER.match(norm(u)) or re.search(r"第\d+页|-\d+-", u) for u in units(report))


def test_a_web_page_is_not_taken_for_a_paged_text(tmp_path):
    """Short lines repeated on a web page are not running headers unless the text has page numbers."""
    seed = tmp_path / "web.txt"
    seed.write_text("2026年广东省政府工作报告\n各位代表：\n" + "".join(
        f"（{n}）第{n}项工作。\n总体平稳\n第{n}项工作扎实推进，成效明显，群众满意度持续提升。\n" for n in "一二三"),
        encoding="utf-8")
    report = read(seed)
    assert sum(u == "总体平稳" for u in units(report)) == 3


# ---------------------------------------------------------------- traditional characters

def test_the_fold_keeps_length_and_maps_traditional_to_simplified():
    trad = TRADITIONAL.read_text(encoding="utf-8")
    simp = TRADITIONAL_ORIGINAL.read_text(encoding="utf-8")
    folded = script.fold(trad)
    assert len(folded) == len(trad)
    same = sum(a == b for a, b in zip(folded, simp)) / len(simp)
    assert same > 0.999, same
    assert script.detect(trad) == "traditional" and script.detect(simp) == "simplified"
    assert script.fold("廣東省省長") == "广东省省长" and script.fold("乾隆") == "干隆"  # one character for one


def test_a_traditional_copy_is_read_in_its_own_characters():
    report = read(TRADITIONAL)
    original = read(TRADITIONAL_ORIGINAL)
    assert report.script == "traditional"
    assert (report.region, report.year, report.date) == (original.region, original.year, original.date) == \
        (["青海省"], "2026", "2026-01-27")
    assert report.title == "政府工作報告" and report.display_title == "2026年青海省政府工作報告"
    assert report.congress == "青海省第十四屆人民代表大會第四次會議"
    # The words on the page are the copy's own, line for line.
    own = TRADITIONAL.read_text(encoding="utf-8")
    assert all(u in own.replace("\n", "") for u in units(report))
    assert headings_of(report) == [h for h in (script.to_traditional(x) for x in headings_of(original))] or \
        [script.fold(h) for h in headings_of(report)] == [script.fold(script.to_traditional(h)) for h in headings_of(original)]
    # Furniture rules written in simplified characters apply: source line, font widget, share, editor.
    assert {r.rule for r in report.source.removed} == {r.rule for r in original.source.removed}
    assert report.source.meta.get("source_name") == "青海日报"
    assert headings_kept(original, TRADITIONAL_ORIGINAL) == 1.0


@pytest.fixture(scope="module")
def forms_site(tmp_path_factory):
    """A site of the fixtures: the simplified original and its traditional copy, the PDF text, the
    wrapped dateline; generated by build_docs.py with the project's own glossary."""
    project = copy_project(tmp_path_factory.mktemp("forms") / "p")
    for seed in (WRAPPED, PDF_TEXT, TRADITIONAL, TRADITIONAL_ORIGINAL):
        shutil.copy(seed, project / "seeds" / seed.name)
    result = run_build(project, "--quiet")
    assert result.returncode == 0, result.stderr
    counts = {m.group(1): int(m.group(2)) for m in
              re.finditer(r"^seeds/(\S+)\.txt: .*?, (\d+) term occurrences", result.stdout, re.M)}
    return project, counts


def test_a_traditional_copy_gets_the_term_marks_of_its_original(forms_site):
    project, counts = forms_site
    assert counts["traditional-original"] >= 50, counts
    assert counts["traditional"] >= 0.95 * counts["traditional-original"], counts
    page = (project / "docs" / "reports" / "traditional" / "s1" / "index.md").read_text(encoding="utf-8")
    marks = re.findall(r'<a class="rr-term" href="[^"]*glossary/#([^"]+)"[^>]*>(.*?)</a>', page)
    assert marks
    # The mark shows the copy's own characters and links to the simplified entry.
    assert any(script.fold(text) != text for _, text in marks), marks[:5]


def test_every_form_is_filed_under_its_region_and_year(forms_site):
    project, _ = forms_site
    home = (project / "docs" / "index.md").read_text(encoding="utf-8")
    by_region = home.split("## 按年份")[0]
    for region, title in [("云南省", "2026年云南省政府工作报告"), ("陕西省", "陕西省2026年政府工作报告"),
                          ("青海省", "2026年青海省政府工作報告"), ("青海省", "2026年青海省政府工作报告")]:
        section = by_region.split(f"### {region}\n")[1].split("###")[0]
        assert f">{title}</a>" in section, (region, title)
    by_year = home.split("## 按年份")[1].split("### 2026")[1].split("###")[0]
    assert by_year.count('<li><a href=') == 4
    landing = (project / "docs" / "reports" / "wrapped-dateline" / "index.md").read_text(encoding="utf-8")
    assert "# 2026年云南省政府工作报告 {#top}" in landing
    assert "原题：政府工作报告" in landing  # the report's own title, verbatim


# ---------------------------------------------------------------- build_docs.py import FILE.pdf

@pytest.fixture(scope="module")
def printed_pdf(tmp_path_factory, browser):
    from pdf_fixture import make_pdf
    folder = tmp_path_factory.mktemp("pdf")
    pdf = folder / "shaanxi-print.pdf"
    printed = make_pdf(PDF_ORIGINAL, pdf, browser)
    original = folder / "printed.txt"
    original.write_text("\n".join(printed) + "\n", encoding="utf-8")
    return pdf, original


def run_import(project: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(project / "build_docs.py"), "import", *map(str, args), "--root", str(project)],
                          capture_output=True, text=True, cwd=project)


def test_import_writes_a_seed_and_a_sidecar_that_build(tmp_path, printed_pdf):
    pdf, original = printed_pdf
    project = copy_project(tmp_path / "p")
    done = run_import(project, pdf)
    assert done.returncode == 0, done.stderr
    seed, side = project / "seeds" / "shaanxi-print.txt", project / "seeds" / "shaanxi-print.yml"
    sidecar = side.read_text(encoding="utf-8")
    assert "title: 陕西省2026年政府工作报告" in sidecar and "date: '2026-01-27'" in sidecar and "region: [陕西省]" in sidecar
    assert "#   page number: " in sidecar and "#   running header: " in sidecar
    report = read(seed)
    assert (report.region, report.year) == (["陕西省"], "2026")
    assert headings_kept(report, original) == 1.0
    assert sentences_kept(report, original) >= 0.99
    shown = units(report)
    assert not [u for u in shown if PAGE_NUMBER.match(norm(u)) or re.search(r"—\s*\d+\s*—", u)]
    assert not [u for u in shown if "陕西省2026年政府工作报告" in u]
    built = run_build(project, "--check")
    assert built.returncode == 0, built.stderr


def test_import_refuses_without_writing(tmp_path, printed_pdf):
    pdf, _ = printed_pdf
    project = copy_project(tmp_path / "p")
    before = sorted(p.name for p in (project / "seeds").iterdir())
    bad_name = tmp_path / "Report 2026.pdf"
    shutil.copy(pdf, bad_name)
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("政府工作报告", encoding="utf-8")
    for args, message in [((bad_name,), "cannot name a seed"), ((not_pdf,), "this is not a PDF"),
                          ((pdf, "--name", "jinan-tianqiao-2024"), "already exists")]:
        done = run_import(project, *args)
        assert done.returncode == 1 and message in done.stderr and "error:" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert sorted(p.name for p in (project / "seeds").iterdir()) == before


def test_a_note_quote_finds_its_passage_in_a_traditional_copy():
    from report_reader.matching import locate
    report = read(TRADITIONAL)
    paragraph = report.sections[1].paragraphs[0]
    quote = paragraph.text[5:25]
    simplified_quote = script.fold(quote)
    assert simplified_quote != quote  # the passage holds traditional characters
    for q in (quote, simplified_quote):
        hits = locate(report, q)
        assert [(h.section, h.paragraph, h.start) for h in hits] == [(report.sections[1].slug, paragraph.number, 5)]


def test_a_simplified_report_quoting_traditional_names_stays_simplified():
    simp = TRADITIONAL_ORIGINAL.read_text(encoding="utf-8")
    quote = "（引自《臺灣關係法》與《國際關係》等）" * 3
    quoted = simp.replace("各位代表：", "各位代表：" + quote, 1)
    assert len(script._traditional_re().findall(quote)) >= script.MIN_TRADITIONAL
    assert script.detect(quoted) == "simplified"
    assert script.detect(script.to_traditional(simp[:400])) == "traditional"


def test_a_report_that_names_no_place_is_warned_about_with_the_sidecar_fix(tmp_path):
    seed = tmp_path / "x.txt"
    seed.write_text("政府工作报告\n各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n", encoding="utf-8")
    _, src, _ = ingest.ingest(seed, {}, "seeds/x.txt")
    report, problems = structure.build_report(src, {})
    assert report.region == [] and report.display_title == "政府工作报告"
    assert any("no region found" in p.message and "region:" in p.hint and p.severity == "warning" for p in problems)
    _, src, _ = ingest.ingest(seed, {"region": ["广东省", "广州市"]}, "seeds/x.txt")
    report, problems = structure.build_report(src, {"region": ["广东省", "广州市"]})
    assert not any("no region found" in p.message for p in problems)
    assert report.display_title == "广东省广州市政府工作报告"


def test_a_running_header_with_its_page_number_makes_a_text_paged(tmp_path):
    """No page number on a line of its own: the header carrying it tells the pages, and goes."""
    original = body_lines(PDF_ORIGINAL)[:40]
    pages = []
    wrapped = [w for line in original for w in __import__("make_fixtures").wrap(line)]
    for number, at in enumerate(range(0, len(wrapped), 25), 1):
        pages.append(f"陕西省2026年政府工作报告 · {number} ·\n" + "\n".join(wrapped[at:at + 25]) + "\n")
    seed = tmp_path / "paged.txt"
    seed.write_text("陕西省2026年政府工作报告\n——2026年1月27日\n在陕西省第十四届人民代表大会第四次会议上\n"
                    + "\n".join(pages), encoding="utf-8")
    report = read(seed)
    assert len(pages) >= 3
    assert sum(r.rule == "running header" for r in report.source.removed) == len(pages)
    assert not [u for u in units(report) if "·" in u and re.search(r"\d+ ·", u)]
    assert report.date == "2026-01-27" and report.region == ["陕西省"]
    shown = "\n".join(norm(u) for u in units(report))
    sentences = [norm(s) for line in original for s in SENTENCE.findall(line) if len(norm(s)) > 1]
    assert sum(s in shown for s in sentences) / len(sentences) >= 0.99


@pytest.mark.parametrize("line", ["— 12 —", "-12-", "第12页", "第 3 页 共 30 页", "12/30", "· 12 ·", "12"])
def test_page_number_forms(line):
    from report_reader.furniture_rules import load_rules
    rules, _ = load_rules()
    assert any(rx.search(line) for name, rx in rules.drop_pattern if name == "page number")
