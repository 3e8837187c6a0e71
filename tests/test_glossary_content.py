"""The Tianqiao glossary: every term a newcomer stumbles on has an entry, and every occurrence of
it in the seed is marked (as itself, or nested in a longer marked term)."""

import re
from collections import Counter
from pathlib import Path

import pytest

from report_reader.pipeline import build
from report_reader.layout.glossaries import entry_path
from report_reader.typography import fold

ROOT = Path(__file__).resolve().parent.parent
REPORT = "jinan-tianqiao-2024"
REQUIRED = """四规一体 五项保障 项目七大推进体系 1+2+6+N 项目全周期管理 重点项目 区属平台公司 融资授信 招商引资 世界500强
中国500强 专业园区 专业市场 首店 批零住餐 入库企业 全国社区商业示范街区 国家级电商产业园 组团 特色商贸组团 高端服务组团
新型智造组团 高科创新组团 技术合同成交额 高新技术企业 专精特新 小巨人 瞪羚 规上工业增加值 预制菜 总部金融企业 拆违控违 无违建
前清后增 确权颁证 耕地“两平衡” 永久基本农田 财税共治 一般公共预算收入 “三公”经费 网格化社会治理 “八五”普法 法治政府示范创建
信访 扫黑除恶 一网统管 国家食品安全示范城市 “审计式”监督检查 退役军人服务保障 双拥共建 国防动员体制改革 文明城市 国家卫生城市
五乱 雨污合流 穿黄隧道 名泉""".split()


@pytest.fixture(scope="module")
def result():
    r = build(ROOT)
    assert not r.errors, "\n".join(map(str, r.errors))
    return r


def entry_for(result, form):
    key = fold(form)
    return next((t for t in result.site.terms.values() if key in {fold(f) for f in t.forms}), None)


@pytest.mark.parametrize("form", REQUIRED)
def test_listed_term_has_a_complete_entry(result, form):
    term = entry_for(result, form)
    assert term is not None, f"no glossary entry for {form}"
    assert term.short and len(term.short) <= 40
    assert term.english and term.explanation
    assert term.sources, "cite the report passage at least"
    report = next(r for r in result.reports if r.id == REPORT)
    assert term.applies_to(report)
    if term.status == "unverified":
        assert any(word in term.explanation for word in ("未", "不清楚", "不详", "无法")), \
            "an unverified entry says what is not known"


@pytest.mark.parametrize("form", REQUIRED)
def test_every_occurrence_in_the_seed_is_marked(result, form):
    term = entry_for(result, form)
    report = next(r for r in result.reports if r.id == REPORT)
    in_text = sum(fold(p.text).count(fold(f)) for s in report.sections for p in s.paragraphs for f in {form})
    found = result.site.term_counts[REPORT]  # counted where the report was analysed
    assert in_text > 0, f"{form} is not in the seed"
    assert found[term.id] >= in_text, f"{form}: {in_text} in the text, {found[term.id]} marked"


def test_every_listed_term_renders_with_its_tooltip(result):
    pages = b"".join(v for k, v in result.outputs.items() if k.startswith(f"reports/{REPORT}/s"))
    text = pages.decode("utf-8")
    for form in REQUIRED:
        term = entry_for(result, form)
        outer = [o for o in result.rendered.occurrences[REPORT] if o.term_id == term.id and not o.within]
        if outer:
            assert f'#{term.id}" aria-describedby="t-{term.id}">' in text, form


def test_local_slogans_are_scoped_to_the_district(result):
    for form in ["四规一体", "五项保障", "项目七大推进体系", "1+2+6+N"]:
        assert str(entry_for(result, form).scope) == "region:山东省济南市天桥区", form


def test_glossary_shows_sources_and_status(result):
    page = result.outputs[f"reports/{REPORT}/glossary/index.md"].decode("utf-8")
    report = next(r for r in result.reports if r.id == REPORT)
    # every listed term is in the report's glossary, and has a full entry (status, sources) where its
    # entry_path says: the shared glossary for national terms, this glossary for local ones
    for form in REQUIRED:
        term = entry_for(result, form)
        assert f'id="{term.id}"' in page, form
        home = result.outputs[entry_path(result.site, term, report)].decode("utf-8")
        entry = home[home.index(f'<h3 class="rr-entry-title" id="{term.id}">'):]
        entry = entry[:entry.index("</div>\n")]
        assert "rr-status" in entry, form
    # what each entry rests on: unverified, and a verified one's kind of source
    assert "未核实" in page and "来源：" in page
    assert any(f'rr-basis--{basis}">' in page for basis in ("official", "media", "report"))
    # 五项保障's items link to the paragraphs that cover them
    assert '<a href="../s3/#p2">拆违控违</a>' in page


def test_a_paragraph_that_uses_a_term_twice_is_one_link(result):
    page = result.outputs[f"reports/{REPORT}/glossary/index.md"].decode("utf-8")
    lists = re.findall(r'<span class="rr-backlinks">出现于：(.*?)</span>', page)
    assert lists
    for links in lists:
        found = re.findall(r'<a href="([^"]+)">([^<]+)</a>', links)
        assert len(found) == len(set(found)), found
    assert "（2 处）</a>" in page
