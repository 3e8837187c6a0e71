"""Stage 2, SourceText → Report: title, region and date; heading levels; lead sentences; sections;
the report's own 名词解释 read into official glossary entries with their markers."""

from pathlib import Path

import pytest

from report_reader import furniture_rules, ingest, official_glossary, structure
from report_reader.patterns import iso_date, title_year

FIXTURE = Path(__file__).parent / "fixtures" / "official-glossary.txt"


def build(lines, sidecar=None):
    rules, _ = furniture_rules.load_rules()
    src = ingest.strip_furniture("\n".join(lines), "seeds/t.txt", "t", rules)
    return structure.build_report(src, sidecar)


def all_text(report):
    """Every word of the report's sections in order: headings (marker + title) and paragraphs."""
    out = []
    for s in report.sections:
        if s.heading:
            out.append(s.heading.marker + s.heading.title)
        for b in s.blocks:
            out.append(b.heading.marker + b.heading.title if b.heading else b.paragraph.text)
    return "".join(out)


def outline(report):
    """(level, marker, title) of every heading, section headings included, in order."""
    out = []
    for s in report.sections:
        if s.heading:
            out.append((s.heading.level, s.heading.marker, s.heading.title))
        out += [(b.heading.level, b.heading.marker, b.heading.title) for b in s.blocks if b.heading]
    return out


# ---------------------------------------------------------------- title, region, date

def test_title_region_and_date_of_a_district_report():
    report, problems = build(["导航菜单", "(山东省)济南市天桥区人民政府工作报告(2024年1月16日)",
                              "项目建设成果丰硕。闭环落实“项目七大推进体系”,实施项目全周期管理。"])
    assert report.title == "(山东省)济南市天桥区人民政府工作报告(2024年1月16日)"
    assert report.region == ["山东省", "济南市", "天桥区"]
    assert report.date == "2024-01-16"
    assert report.issuer == "济南市天桥区人民政府"
    assert not [p for p in problems if "title" in p.hint or "date" in p.hint]


@pytest.mark.parametrize("text, region", [
    ("2026年山东省政府工作报告", ["山东省"]),
    ("陕西省2026年政府工作报告", ["陕西省"]),
    ("2024年济南市政府工作报告", ["济南市"]),
    ("北京市朝阳区人民政府工作报告", ["北京市", "朝阳区"]),
    ("云南省第十四届人民代表大会第四次会议上", ["云南省"]),
    ("济南市天桥区第十八届人民代表大会第三次会议上", ["济南市", "天桥区"]),
    ("政府工作报告", []),
])
def test_region_from_a_title_or_a_dateline(text, region):
    assert structure.parse_region(text) == region


@pytest.mark.parametrize("text, iso", [
    ("——2026年1月27日在山东省第十四届人民代表大会第四次会议上", "2026-01-27"),
    ("（二〇二四年一月十五日在某市第十七届人民代表大会第四次会议上）", "2024-01-15"),
    ("二○二三年十二月三十一日", "2023-12-31"),
    ("2026-02-03 09:02:33", "2026-02-03"),
    ("第十四届人民代表大会", ""),
])
def test_dates_in_arabic_or_chinese_numerals(text, iso):
    assert iso_date(text) == iso


def test_region_and_date_come_from_the_dateline_when_the_title_has_none():
    report, _ = build(["政府工作报告", "――2026年1月27日在青海省第十四届人民代表大会第四次会议上", "省长 罗东川",
                       "各位代表：", "现在，我代表省人民政府向大会报告工作，请予审议。", "一、工作回顾"])
    assert report.region == ["青海省"] and report.date == "2026-01-27"
    assert report.frontmatter == ["――2026年1月27日在青海省第十四届人民代表大会第四次会议上", "省长 罗东川"]


def test_dateline_carrying_the_speaker_becomes_two_front_matter_lines():
    report, _ = build(["陕西省2026年政府工作报告", "2026年1月27日在陕西省第十四届人民代表大会第四次会议上 陕西省省长 赵刚",
                       "各位代表：", "现在，我代表省人民政府向大会报告工作。", "一、工作回顾", "过去一年，成绩显著。"])
    assert report.frontmatter == ["2026年1月27日在陕西省第十四届人民代表大会第四次会议上", "陕西省省长 赵刚"]


def test_a_report_is_known_by_the_year_its_title_names_not_its_date():
    """Read out in December 2022, it is the 2023 report: the year shown beside its name is 2023."""
    report, _ = build(["2023年十堰市张湾区政府工作报告—全文",
                       "——2022年12月27日在张湾区第十届人民代表大会第二次会议上", "张湾区人民政府区长 李如玖",
                       "各位代表:", "一、2022年工作回顾", "即将过去的一年，是迎难而上、负重前行的一年。"])
    assert report.date == "2022-12-27"
    assert report.year == "2023"
    dated, _ = build(["(山东省)济南市天桥区人民政府工作报告(2024年1月16日)", "各位代表：", "一、工作回顾", "过去一年，成绩显著。"])
    assert dated.year == "2024"  # the year of a date in the title is the date's


@pytest.mark.parametrize("title, year", [
    ("2023年十堰市张湾区政府工作报告—全文", "2023"),
    ("陕西省2026年政府工作报告", "2026"),
    ("二〇二三年政府工作报告", "2023"),
    ("２０２５年某县政府工作报告", "2025"),
    ("关于2022年工作回顾和2023年工作安排的报告", "2023"),
    ("政府工作报告（2024年1月16日）", ""),
    ("政府工作报告（二〇二四年一月十六日）", ""),
    ("政府工作报告", ""),
])
def test_title_year(title, year):
    assert title_year(title) == year


def test_sidecar_overrides_what_was_detected():
    report, _ = build(["政府工作报告", "各位代表：", "一、工作回顾", "过去一年，成绩显著。"],
                      {"title": "2025年某县政府工作报告", "date": "2025-01-08", "region": ["某省", "某县"]})
    assert (report.title, report.date, report.region) == ("2025年某县政府工作报告", "2025-01-08", ["某省", "某县"])


def test_missing_title_and_date_are_warnings_naming_their_rule():
    report, problems = build(["各位代表：", "现在，我代表县人民政府向大会报告工作。", "一、工作回顾", "过去一年，成绩显著。"])
    hints = " ".join(p.hint for p in problems if p.severity == "warning")
    assert "rule `title`" in hints and "rule `date`" in hints
    assert report.sections  # it still builds


# ---------------------------------------------------------------- headings and sections

def test_heading_levels_full_and_half_width():
    report, problems = build(["各位代表：", "一、总体要求", "（一）扩大内需", "1.扩大有效投资", "(1)实施重点项目",
                              "（2）推进城市更新", "2、促进消费", "(二)深化改革", "１．推进国企改革", "二、重点工作"])
    assert outline(report) == [
        (1, "一、", "总体要求"), (2, "（一）", "扩大内需"), (3, "1.", "扩大有效投资"), (4, "(1)", "实施重点项目"),
        (4, "（2）", "推进城市更新"), (3, "2、", "促进消费"), (2, "(二)", "深化改革"), (3, "１．", "推进国企改革"),
        (1, "二、", "重点工作")]
    assert not [p for p in problems if "heading" in p.hint]


def test_text_before_the_first_heading_is_its_own_section():
    report, _ = build(["各位代表：", "现在，我代表市人民政府向大会报告工作。", "一、工作回顾", "过去一年，成绩显著。",
                       "二、今年安排", "今年要坚持稳中求进。"])
    assert [s.slug for s in report.sections] == ["s0", "s1", "s2"]
    assert report.sections[0].heading is None
    assert [p.text for p in report.sections[0].paragraphs] == ["各位代表：", "现在，我代表市人民政府向大会报告工作。"]


def test_run_in_heading_has_its_first_sentence_as_title_and_the_rest_as_paragraph():
    report, _ = build(["一、工作回顾", "（一）扩大有效投资。实施重点项目200个，完成投资300亿元。", "（二）经济运行稳中向好。"])
    first, second = [b for b in report.sections[0].blocks if b.heading]
    assert first.heading.title == "扩大有效投资。" and second.heading.title == "经济运行稳中向好。"
    assert report.sections[0].paragraphs[0].text == "实施重点项目200个，完成投资300亿元。"


def test_heading_numbered_backwards_stays_a_paragraph_with_a_warning():
    report, problems = build(["一、工作回顾", "（一）扩大内需", "（二）深化改革", "（三）扩大开放", "（二）所列事项年内完成。"])
    assert [h[1] for h in outline(report)] == ["一、", "（一）", "（二）", "（三）"]
    assert any("rule `heading sequence`" in p.hint and p.line == 5 for p in problems)
    assert report.sections[0].paragraphs[-1].text == "（二）所列事项年内完成。"


def test_heading_skipping_a_number_is_kept_with_a_warning():
    report, problems = build(["一、工作回顾", "（一）扩大内需", "（三）深化改革", "（四）扩大开放", "二、今年安排"])
    assert [h[1] for h in outline(report)] == ["一、", "（一）", "（三）", "（四）", "二、"]
    assert [p.line for p in problems if "rule `heading sequence`" in p.hint] == [3]


def test_no_headings_is_one_section_with_a_warning():
    report, problems = build(["各位代表：", "现在，我代表县人民政府向大会报告工作。", "过去一年，成绩显著。"])
    assert [s.slug for s in report.sections] == ["s0"]
    assert any("rule `headings`" in p.hint for p in problems)


def test_a_numbered_sentence_not_starting_at_one_is_not_a_heading():
    report, _ = build(["一、工作回顾", "3家企业入选国家级名单。", "2025年是很不平凡的一年。"])
    assert outline(report) == [(1, "一、", "工作回顾")]


def test_enumerations_stay_in_their_paragraph_verbatim():
    line = "一是全力激发创新潜能，推动产业升级。二是全力缩小城乡差距；三是全力筑牢安全底线。"
    report, _ = build(["一、主要任务", line])
    assert [p.text for p in report.sections[0].paragraphs] == [line]


# ---------------------------------------------------------------- lead sentences

def test_lead_on_its_own_line_heads_the_paragraph_below():
    report, _ = build(["一、工作回顾", "生态底色更加亮丽。", "始终坚持生态优先、绿色发展，生态环境持续改善。",
                       "经济运行持续向好。", "全省地区生产总值增长5%，居民收入稳步增长。"])
    paras = report.sections[0].paragraphs
    assert [(p.lead, p.body) for p in paras] == [("生态底色更加亮丽。", "始终坚持生态优先、绿色发展，生态环境持续改善。"),
                                                 ("经济运行持续向好。", "全省地区生产总值增长5%，居民收入稳步增长。")]
    assert paras[0].line == 2


def test_run_in_leads_in_a_series_are_kept():
    report, _ = build(["（一）扩大内需", "扩大有效投资。深化项目推进年活动，带动投资增长。",
                       "积极促进消费。开展提振消费专项行动，清理限制措施。"])
    assert [p.lead for p in report.sections[0].paragraphs] == ["扩大有效投资。", "积极促进消费。"]


def test_a_lone_first_sentence_is_not_a_lead_nor_is_the_salutation():
    report, _ = build(["一、今年安排", "今年是“十五五”开局之年。做好政府工作，要坚持稳中求进。",
                       "各位代表！蓝图鼓舞人心。让我们团结奋斗！", "各位代表！", "实干谱写华章，奋斗成就未来。"])
    assert [p.lead for p in report.sections[0].paragraphs] == ["", "", "", ""]


# ---------------------------------------------------------------- the report's own glossary

def fixture_report():
    rules, _ = furniture_rules.load_rules()
    src = ingest.strip_furniture(FIXTURE.read_text(encoding="utf-8"), "seeds/official-glossary.txt",
                                 "official-glossary", rules)
    return structure.build_report(src)


def test_glossary_block_is_not_a_report_section():
    report, problems = fixture_report()
    assert problems == []
    texts = [p.text for s in report.sections for p in s.paragraphs] + [t for row in outline(report) for t in row[1:]]
    assert not any("名词解释" in t or "是指国家重大战略" in t for t in texts)
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    assert [lines[n - 1] for n in report.glossary_lines][0] == "名词解释"
    assert len(report.glossary_lines) == 5


def test_glossary_entries_become_official_terms_scoped_to_the_report():
    report, _ = fixture_report()
    glossary = official_glossary.read(report)
    assert [(t.term, str(t.scope), t.status) for t in glossary.terms] == [
        ("两重", "report:official-glossary", "official"), ("两新", "report:official-glossary", "official"),
        ("三保", "report:official-glossary", "official")]
    assert glossary.terms[0].short == "是指国家重大战略实施和重点领域安全能力建设。"
    assert glossary.terms[2].short == "保基本民生、保工资、保运转，\n是县级财政支出的优先事项。"
    assert glossary.problems == []


def test_markers_point_at_their_entries():
    report, _ = fixture_report()
    glossary = official_glossary.read(report)
    paragraphs = {(s.slug, p.number): p.text for s in report.sections for p in s.paragraphs}
    found = [(paragraphs[(m.section, m.paragraph)][m.start:m.end], m.term_id) for m in glossary.markers]
    assert found == [("[1]", "official-glossary--1"), ("〔2〕", "official-glossary--2"), ("［3］", "official-glossary--3")]


@pytest.mark.parametrize("entry, parsed", [
    ("1.“两重”：是指国家重大战略实施。", (1, "两重", [], "是指国家重大战略实施。")),
    ("〔2〕“两新”是指设备更新，包括：一是…", (2, "两新", [], "是指设备更新，包括：一是…")),
    ("3、两个确立:确立党的核心地位。", (3, "两个确立", [], "确立党的核心地位。")),
    ("［4］“三保”“三保障”：保基本民生。", (4, "三保", ["三保障"], "保基本民生。")),
    ("①《国家公园法》：2025年施行。", (1, "《国家公园法》", [], "2025年施行。")),
    ("5.没有冒号也没有引号的一句很长很长很长很长很长很长很长很长的话", None),
])
def test_glossary_entry_forms(entry, parsed):
    assert official_glossary.parse_entry(entry) == parsed


def test_an_unreadable_glossary_stays_text_with_a_warning():
    lines = ["一、工作回顾", "过去一年，我们推进“两重”[1]建设。", "注释", "1.“两重”：国家重大战略实施。",
             "2.没有冒号也没有引号的一句很长很长很长很长很长很长很长很长的话"]
    report, problems = build(lines)
    assert report.glossary_lines == []
    assert any("rule `official glossary`" in p.hint for p in problems)
    assert "注释1.“两重”：国家重大战略实施。2.没有冒号" in all_text(report)


def test_a_closing_run_of_bracketed_notes_without_a_title_is_a_glossary():
    report, _ = build(["一、工作回顾", "过去一年，我们推进“两重”〔1〕建设和“两新”〔2〕工作。",
                       "〔1〕“两重”：国家重大战略实施和重点领域安全能力建设。", "〔2〕“两新”：大规模设备更新和消费品以旧换新。"])
    assert len(report.glossary_lines) == 2
    assert [t.term for t in official_glossary.read(report).terms] == ["两重", "两新"]


def test_unnumbered_entries_and_circled_markers():
    report, _ = build(["一、工作回顾", "我们推进“两重”①建设和“两新”②工作。", "注释：",
                       "①“两重”：国家重大战略实施和重点领域安全能力建设。", "②“两新”：大规模设备更新和消费品以旧换新。"])
    glossary = official_glossary.read(report)
    assert [m.number for m in glossary.markers] == [1, 2]
    report, _ = build(["一、工作回顾", "我们推进“两重”建设和“两新”工作。", "名词解释",
                       "“两重”：国家重大战略实施和重点领域安全能力建设。", "“两新”：大规模设备更新和消费品以旧换新。"])
    assert [(t.term, t.short) for t in official_glossary.read(report).terms] == [
        ("两重", "国家重大战略实施和重点领域安全能力建设。"), ("两新", "大规模设备更新和消费品以旧换新。")]


@pytest.mark.parametrize("form", ["两重", "“两重”"])
def test_report_own_entry_is_marked_before_a_shared_entry_of_the_same_form(form):
    """Whether the shared entry writes the term in quotes or not, the report's own explanation wins."""
    from report_reader.matching import TermMatcher
    from report_reader.model import EVERYWHERE, Term
    report, _ = fixture_report()
    own = official_glossary.read(report).terms
    shared = Term(id="liang-zhong", term=form, english="", category="policy", short="", scope=EVERYWHERE,
                  status="unverified", file="annotations/terms/liang-zhong.yml")
    problems = official_glossary.shadowed(own, [shared], report)
    assert [(p.file, p.severity) for p in problems] == [("annotations/terms/liang-zhong.yml", "warning")]
    assert "rule `official glossary`" in problems[0].hint
    assert [m[2] for m in TermMatcher(own + [shared]).find("推进“两重”建设")] == ["official-glossary--1"]
