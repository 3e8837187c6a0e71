"""Key figures (issue 20): the extractor on sentences of each pattern, the shared corpus against
targets checked by hand (tests/golden/figures/), the sidecar's `figures:`, and the 数据 pages, CSV
files and comparison of targets in a real build with `mkdocs build --strict` and in Chromium."""

import csv
import dataclasses
import io
import re
import shutil
from pathlib import Path

import pytest

from conftest import SHARED, broken_links, copy_project, run_build, serve_site
from report_reader import figures, pipeline
from report_reader.model import Problem
from report_reader.layout.nav import comparison_years
from report_reader.render import figures as figure_pages

GOLDEN = Path(__file__).parent / "golden" / "figures"
CORPUS = sorted((SHARED / "corpus").glob("*.txt"))
needs_corpus = pytest.mark.skipif(not CORPUS, reason="../shared/corpus/ is not there")


def found(text: str) -> list[tuple[str, str, str, str]]:
    return [f[:4] for f in figures.figures_in(text)]


# ---------------------------------------------------------------- sentences, one pattern each

def test_qualifiers_after_the_number():
    assert found("城镇调查失业率5.5%左右，粮食总产量稳定在1955万吨以上；城镇调查失业率5.5%以内。") == [
        ("城镇调查失业率", "5.5", "%", "左右"), ("粮食总产量", "1955", "万吨", "以上"), ("城镇调查失业率", "5.5", "%", "以内")]


def test_ranges_keep_the_value_as_written():
    assert found("地区生产总值增长4.5—5%，") == [("地区生产总值增长", "4.5—5", "%", "")]
    assert found("地区生产总值增长4.5%-5%左右。") == [("地区生产总值增长", "4.5-5", "%", "左右")]
    assert found("居民收入增长5%至6%。") == [("居民收入增长", "5至6", "%", "")]


def test_striving_for_is_a_qualifier_not_part_of_the_indicator():
    assert found("力争规上工业增加值增长6%，地区生产总值力争增长6%以上。") == [
        ("规上工业增加值增长", "6", "%", "力争"), ("地区生产总值增长", "6", "%", "力争…以上")]
    assert found("机器人产业规模力争突破2000亿元。") == [("机器人产业规模", "2000", "亿元", "力争突破")]


def test_figures_in_parentheses():
    # A parenthesis that names keeps to its indicator; one that holds a figure is a clause of its own;
    # one that explains a figure does not hide it.
    assert found("地区生产总值（GDP）增长5%左右；") == [("地区生产总值（GDP）增长", "5", "%", "左右")]
    assert found("固定资产投资增长8%（其中工业投资增长10%以上）。") == [
        ("固定资产投资增长", "8", "%", ""), ("工业投资增长", "10", "%", "以上")]
    assert found("城镇新增就业1.2万人以上（含高校毕业生）。") == [("城镇新增就业", "1.2", "万人", "以上")]


def test_chinese_numerals():
    assert found("粮食产量稳定在一千二百亿斤以上，城镇调查失业率控制在百分之五点五左右。") == [
        ("粮食产量", "一千二百", "亿斤", "以上"), ("城镇调查失业率", "五点五", "百分之", "左右")]
    assert figures.number_of("一千二百") == 1200 and figures.number_of("五点五") == 5.5
    assert figures.number_of("十") == 10 and figures.number_of("4.5—5") == 4.5


def test_names_and_counting_words_in_chinese_numerals_are_not_figures():
    assert found("做到两个维护，夯实五项保障，组建三支招商队伍，推进十四五规划。") == []


def test_what_is_unclear_is_left_out():
    # what grew is not said; a figure that runs on into a noun; a year; a rank; a figure with no words before it
    assert found("技术合同成交额124亿元，同比增长46%。") == [("技术合同成交额", "124", "亿元", "")]
    assert found("总投资1087亿元的216个重点项目加速推进，") == []
    assert found("2025年，总量保持全市第2，30万平方米金牛家居博览中心布局高端化发展。") == []
    assert found("输出345亿度、增长32%。") == []


def test_respectively_pairs_each_item_with_its_figure_or_leaves_both_out():
    assert found("工业投资、规上工业增加值分别增长35%、20%，") == [
        ("工业投资增长", "35", "%", ""), ("规上工业增加值增长", "20", "%", "")]
    # 省级 alone names no indicator: which projects is in the next item
    assert found("省级、市级重点项目分别完成年度计划投资133%、143%。") == []


def test_the_joining_verb_is_not_part_of_the_indicator():
    assert found("城镇调查失业率控制在5.5%左右，产业投资占比保持在50%以上，主导产业集中度提升至55%以上。") == [
        ("城镇调查失业率", "5.5", "%", "左右"), ("产业投资占比", "50", "%", "以上"), ("主导产业集中度", "55", "%", "以上")]
    assert found("制止违法用地行为50起。") == [("制止违法用地行为", "50", "起", "")]


def test_offsets_point_at_the_figure_in_the_words():
    text = "今年主要预期目标是：地区生产总值增长5%左右。"
    (_, _, _, _, start, end), = figures.figures_in(text)
    assert text[start:end] == "5%左右"


# ---------------------------------------------------------------- reports: which parts hold what

def read(tmp_path: Path, text: str, name: str = "r", sidecar: str | None = None) -> tuple:
    seeds = tmp_path / "seeds"
    seeds.mkdir(exist_ok=True)
    (seeds / f"{name}.txt").write_text(text, encoding="utf-8")
    if sidecar is not None:
        (seeds / f"{name}.yml").write_text(sidecar, encoding="utf-8")
    problems: list[Problem] = []
    _, report = pipeline.read_report(pipeline.Project(tmp_path), seeds / f"{name}.txt", problems)
    return report, problems


SMALL = """2026年某某市政府工作报告
——2026年1月10日在某某市第十八届人民代表大会第五次会议上
各位代表：现在，我代表市人民政府，向大会报告工作。
一、2025年工作回顾
过去一年，地区生产总值增长5.2%，城镇新增就业3.1万人。
二、“十五五”时期主要目标
力争“十五五”时期地区生产总值年均增长5%左右。
三、2026年工作安排
今年经济社会发展主要预期目标是：地区生产总值增长5%左右，城镇调查失业率5.5%以内。实现上述目标，要投资120亿元。
全年力争新增规上工业企业50家，实施重点项目30个。
"""


def test_targets_results_and_the_five_year_part(tmp_path):
    report, problems = read(tmp_path, SMALL)
    assert not [p for p in problems if p.severity == "error"]
    got = [(f.kind, f.indicator, f.value, f.unit, f.qualifier, f"{f.section}/p{f.paragraph}") for f in report.figures]
    assert got == [
        ("result", "地区生产总值增长", "5.2", "%", "", "s1/p1"),
        ("result", "城镇新增就业", "3.1", "万人", "", "s1/p1"),
        # the 十五五 part is not this year's; after the targets' full stop figures are no targets;
        # in this year's work a figure is a target when a target's qualifier says so
        ("target", "地区生产总值增长", "5", "%", "左右", "s3/p1"),
        ("target", "城镇调查失业率", "5.5", "%", "以内", "s3/p1"),
        ("target", "新增规上工业企业", "50", "家", "力争", "s3/p2")]


def test_a_sidecar_corrects_adds_and_removes_figures(tmp_path):
    side = """figures:
  - {kind: target, indicator: 城镇调查失业率, value: "5.5", unit: "%", qualifier: 以下, paragraph: s3/p1}
  - {kind: result, indicator: 城镇新增就业, remove: true, paragraph: s1/p1}
  - {kind: target, indicator: 重点项目, value: "30", unit: 个, qualifier: "", paragraph: s3/p2}
"""
    report, problems = read(tmp_path, SMALL, sidecar=side)
    assert not problems
    rows = {(f.indicator, f.section, f.paragraph): f for f in report.figures}
    assert rows[("城镇调查失业率", "s3", 1)].qualifier == "以下" and rows[("城镇调查失业率", "s3", 1)].origin == "sidecar"
    assert ("城镇新增就业", "s1", 1) not in rows
    assert rows[("重点项目", "s3", 2)].kind == "target"
    assert [f.indicator for f in report.figures][-2:] == ["新增规上工业企业", "重点项目"]  # reading order


@pytest.mark.parametrize("entry, message", [
    ('{kind: target, indicator: 地区生产总值增长, value: "6", unit: "%", paragraph: s3/p1}', "value “6” is not in paragraph s3/p1"),
    ('{kind: target, indicator: 地区生产总值增长, value: "5", paragraph: s9/p1}', "no paragraph s9/p1"),
    ('{kind: goal, indicator: 地区生产总值增长, value: "5", paragraph: s3/p1}', "`kind` must be target or result"),
    ('{kind: target, indicator: 地区生产总值增长, value: "5", paragraph: s3/p1, note: x}', "unknown field `note`"),
    ('{kind: target, indicator: [a], value: "5", paragraph: s3/p1}', "`indicator` must be text"),
    ('{remove: true, indicator: 不存在, paragraph: s3/p1}', "no figure “不存在” in s3/p1 to remove"),
])
def test_a_wrong_sidecar_entry_names_its_line_and_the_fix(tmp_path, entry, message):
    report, problems = read(tmp_path, SMALL, sidecar=f"title: 2026年某某市政府工作报告\nfigures:\n  - {entry}\n")
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1 and message in errors[0].message
    assert errors[0].file == "seeds/r.yml" and errors[0].line == 3 and errors[0].hint


def test_a_wrong_sidecar_stops_the_build_and_writes_nothing(tmp_path):
    project = copy_project(tmp_path / "p")
    (project / "seeds" / "jinan-tianqiao-2024.yml").write_text(
        "figures:\n  - {kind: result, indicator: 洽谈项目, value: \"99\", paragraph: s0/p2}\n", encoding="utf-8")
    result = run_build(project)
    assert result.returncode == 1
    assert "seeds/jinan-tianqiao-2024.yml:2: error: figures: value “99” is not in paragraph s0/p2" in result.stderr
    assert "Traceback" not in result.stderr and not (project / "docs" / "reports").exists()


# ---------------------------------------------------------------- the shared corpus, checked by hand

def golden(name: str) -> list[dict]:
    with open(GOLDEN / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def corpus_report(tmp_path: Path, name: str):
    report, problems = read(tmp_path, (SHARED / "corpus" / f"{name}.txt").read_text(encoding="utf-8"), name)
    assert not [p for p in problems if p.severity == "error"]
    return report


def paragraph_text(report, address: str) -> str:
    slug, _, n = address.partition("/p")
    section = next(s for s in report.sections if s.slug == slug)
    return next(p.text for p in section.paragraphs if p.number == int(n))


@needs_corpus
@pytest.mark.parametrize("name", [p.stem for p in CORPUS])
def test_the_golden_rows_say_what_the_text_says(tmp_path, name):
    """The hand-written golden against the words: each row's figure stands in its paragraph as
    written, after its indicator, inside the 主要预期目标 sentence."""
    report = corpus_report(tmp_path, name)
    rows = golden(name)
    assert rows
    for row in rows:
        text = paragraph_text(report, row["paragraph"])
        assert "预期目标" in text
        figure = row["value"] + row["unit"] + row["qualifier"]
        at = text.find(figure)
        assert at > 0, f"{figure} is not in {row['paragraph']}"
        assert row["indicator"] in text[:at]


@needs_corpus
@pytest.mark.parametrize("name", [p.stem for p in CORPUS])
def test_every_target_of_the_corpus_is_found_as_checked_by_hand(tmp_path, name):
    report = corpus_report(tmp_path, name)
    rows = golden(name)
    places = {r["paragraph"] for r in rows}
    got = [{"kind": f.kind, "indicator": f.indicator, "value": f.value, "unit": f.unit, "qualifier": f.qualifier,
            "paragraph": f"{f.section}/p{f.paragraph}"} for f in report.figures if f"{f.section}/p{f.paragraph}" in places]
    assert got == rows


# ---------------------------------------------------------------- the real build

@pytest.fixture(scope="module")
def figures_build(corpus_site):
    """The seed and the corpus, built once per session (conftest.corpus_site); read, never changed."""
    return corpus_site


def read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def site_target(project: Path, url: str) -> tuple[Path, str]:
    """The built page and the id an address of the published site points at."""
    base = "https://report-reader.github.io/report-reader/"
    assert url.startswith(base), url
    path, _, anchor = url[len(base):].partition("#")
    return project / "site" / path / "index.html", anchor


def test_each_report_has_its_csv_with_the_golden_targets(figures_build):
    for seed in CORPUS:
        rows = read_csv(figures_build / "site" / "reports" / seed.stem / "figures.csv")
        assert rows[0] == ["kind", "indicator", "value", "unit", "qualifier", "paragraph"]
        wanted = [[r["kind"], r["indicator"], r["value"], r["unit"], r["qualifier"], r["paragraph"]] for r in golden(seed.stem)]
        got = [row[:5] + [re.sub(r".*/reports/[^/]+/(s\d+)/#(p\d+)$", r"\1/\2", row[5])] for row in rows[1:]]
        assert all(w in got for w in wanted)
        assert {row[0] for row in rows[1:]} == {"target", "result"}


def test_every_csv_row_points_at_a_paragraph_that_holds_its_figure(figures_build):
    for seed in CORPUS:
        for kind, _indicator, value, _unit, _q, url in read_csv(figures_build / "site/reports" / seed.stem / "figures.csv")[1:]:
            page, anchor = site_target(figures_build, url)
            html_text = page.read_text(encoding="utf-8")
            assert f'id="{anchor}"' in html_text
            # the paragraph itself (its id to the next paragraph) holds the value
            block = html_text[html_text.index(f'id="{anchor}"'):]
            block = re.split(r'id="p\d+"', block[10:], maxsplit=1)[0]
            assert value in re.sub(r"<[^>]+>", "", block), (url, value)


def test_the_data_page_links_to_the_paragraphs_and_the_paragraphs_link_back(figures_build):
    site = figures_build / "site" / "reports" / "shandong-2026"
    data = (site / "figures" / "index.html").read_text(encoding="utf-8")
    assert "地区生产总值增长" in data and 'href="../s3/#p2"' in data and 'id="s3-p2"' in data
    section = (site / "s3" / "index.html").read_text(encoding="utf-8")
    assert 'class="rr-figref" href="../figures/#s3-p2"' in section
    # the report's words are untouched: the link follows them, outside the words
    words = re.sub(r"<[^>]+>", "", section)
    assert "地区生产总值增长5%以上" in words
    assert 'href="figures/"' in (site / "index.html").read_text(encoding="utf-8")
    assert broken_links(figures_build / "site") == []


def test_the_comparison_lists_every_report_and_leaves_what_is_not_stated_blank(figures_build):
    page = (figures_build / "site/reports/targets/2026/index.html").read_text(encoding="utf-8")
    head = re.search(r"<thead>(.*?)</thead>", page).group(1)
    columns = re.findall(r"<th>(.*?)</th>", head)
    assert columns[:2] == ["报告", "地区生产总值增长"]
    assert {"城镇调查失业率", "城镇新增就业", "一般公共预算收入增长", "居民消费价格涨幅"} <= set(columns)
    rows = {re.search(r">([^<]+ 2026年)<", r).group(1): re.findall(r"<td[^>]*>(.*?)</td>", r)
            for r in re.findall(r"<tr><td>.*?</tr>", page)}
    assert len(rows) == 4
    cpi = columns.index("居民消费价格涨幅")
    assert re.sub(r"<[^>]+>", "", rows["山东省 2026年"][cpi]) == ""  # 居民消费价格保持合理水平: no number
    assert re.sub(r"<[^>]+>", "", rows["青海省 2026年"][cpi]) == "2%左右"
    assert re.sub(r"<[^>]+>", "", rows["云南省 2026年"][columns.index("城镇调查失业率")]) == "5.5%以内"
    table = read_csv(figures_build / "site/reports/targets/2026.csv")
    by_report = {r[0]: dict(zip(table[0], r)) for r in table[1:]}
    assert by_report["shandong-2026"]["居民消费价格涨幅"] == "" and by_report["shandong-2026"]["居民消费价格涨幅·单位"] == ""
    assert by_report["shaanxi-2026"]["地区生产总值增长"] == "5" and by_report["shaanxi-2026"]["地区生产总值增长·限定"] == "左右"
    nav = (figures_build / "docs/reports/.nav.yml").read_text(encoding="utf-8")
    assert '"reports/targets/2026/index.md"' in nav and '"reports/shandong-2026/figures/index.md"' in nav


def test_the_csv_never_holds_a_formula(tmp_path):
    from report_reader.render.figures import csv_bytes
    data = csv_bytes([["=HYPERLINK(\"x\")", "-0.3", "+1", "@SUM(A1)", "5"]])
    assert data.decode("utf-8-sig") == "\"'=HYPERLINK(\"\"x\"\")\",-0.3,+1,'@SUM(A1),5\r\n"


# ---------------------------------------------------------------- in Chromium, on a phone

@pytest.fixture(scope="module")
def figures_url(figures_build):
    with serve_site(figures_build / "site") as url:
        yield url


@pytest.fixture(scope="module")
def phone(browser, figures_url):
    """A 390-px touch screen in the session's Chromium (conftest's `browser`)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def column(page, n: int) -> list[str]:
    return page.evaluate(f"Array.from(document.querySelectorAll('table.rr-figures tbody tr td:nth-child({n})')).map(t => t.textContent)")


def test_the_comparison_sorts_on_a_phone_and_scrolls_in_its_box(phone, figures_url):
    phone.goto(figures_url + "reports/targets/2026/")
    # the page never scrolls sideways: the table does, inside its wrapper
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.evaluate("(() => { const w = document.querySelector('.rr-table-scroll'); return w.scrollWidth > w.clientWidth })()")
    heads = phone.locator("table.rr-figures th button")
    cpi = [h.strip(" ↕") for h in heads.all_text_contents()].index("居民消费价格涨幅") + 1
    heads.nth(cpi - 1).click()
    assert column(phone, cpi)[-2:] == ["", ""]  # blank is not zero: it sorts last
    heads.nth(1).click()  # GDP ascending
    values = column(phone, 2)
    assert [float(re.match(r"[\d.]+", v).group()) for v in values] == sorted(float(re.match(r"[\d.]+", v).group()) for v in values)
    heads.nth(1).click()  # and descending
    assert phone.locator("table.rr-figures th").nth(1).get_attribute("aria-sort") == "descending"
    assert column(phone, 2)[0].startswith("5")



@needs_corpus
def test_a_data_page_depends_on_its_report_alone(tmp_path):
    """A worker holds only the reports it analysed: a report's 数据 page must read the same from
    there as from a site of every report. Here a copy of a corpus report is titled 2024, the year of
    the Tianqiao report, which states no target: whether the 2024 comparison exists is no business
    of the Tianqiao page."""
    project = copy_project(tmp_path / "p")
    for seed in CORPUS:
        shutil.copy(seed, project / "seeds" / seed.name)
    shutil.copy(CORPUS[0], project / "seeds" / "older.txt")
    (project / "seeds" / "older.yml").write_text("title: 2024年政府工作报告\n", encoding="utf-8")
    site = pipeline.build(project, jobs=1).rendered
    assert "2024" in comparison_years(site)
    for report in site.reports:
        alone = dataclasses.replace(site, reports=[report])
        assert figure_pages.figures_page(alone, report) == figure_pages.figures_page(site, report), report.id


def test_figures_that_is_not_a_list_is_an_error_with_its_line(tmp_path):
    report, problems = read(tmp_path, SMALL, sidecar="title: 2026年某某市政府工作报告\nfigures: 地区生产总值增长5%\n")
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1 and "`figures` must be a list" in errors[0].message and errors[0].line == 2
    assert [f.origin for f in report.figures] == ["text"] * len(report.figures)  # the extracted figures stand
