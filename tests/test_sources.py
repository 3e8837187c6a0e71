"""The source policy (report_reader/source_policy.yml) and the checks the build makes on every
citation: tiers of publishers and hosts, refused hosts, what a verified entry must rest on, reprints
in `via`; the source schema's error messages; what readers see of sources."""

import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, copy_project, run_build
from report_reader import annotations, sources
from report_reader.model import Problem, Source

GOLDEN = Path(__file__).resolve().parent / "golden" / "annotations"

TERM = """id: {id}
term: 测试术语
english: test
category: policy
short: 测试定义
scope: {scope}
status: {status}
sources:
{sources}"""

XINHUA_VIA = """  - publisher: 新华社
    title: 一篇新华社电稿
    date: "2024-03-05"
    via: https://www.example.com/copy/1.html
"""
REPORT_QUOTE = """  - report: jinan-tianqiao-2024
    quote: 推行“1+2+6+N”工作体系
"""


def load(tmp_path, text: str, name: str = "t.yml"):
    folder = tmp_path / "terms"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    terms = annotations.load_terms(folder, problems, tmp_path)
    return terms, problems


def term(sources_yaml: str, status: str = "verified", scope: str = "all") -> str:
    return TERM.format(id="t", scope=scope, status=status, sources=sources_yaml)


# ---- the policy's tiers

@pytest.mark.parametrize("publisher, tier", [
    ("新华社", "state_media"), ("人民日报海外版", "state_media"), ("中央广播电视总台", "state_media"),
    ("央视新闻", "state_media"), ("大众日报", "state_media"), ("《求是》", "state_media"),
    ("济南市天桥区融媒体中心", "state_media"),
    ("国务院", "official"), ("国务院办公厅", "official"), ("中共中央办公厅、国务院办公厅", "official"),
    ("山东省人民政府", "official"), ("工业和信息化部", "official"), ("国家统计局", "official"),
    ("济南市天桥区人大常委会", "official"), ("最高人民法院", "official"), ("济南市中级人民法院", "official"),
    ("中共中央纪委国家监委", "official"), ("全国人大常委会法工委", "official"),
    ("财新", "media"), ("清华大学", "media"), ("中国社会科学院", "media"),
    ("某某科技有限公司", "other"), ("某杂志编辑部", "other"), ("百度百科", "other"), ("部", "other"), ("", "other"),
])
def test_publisher_tier(publisher, tier):
    assert sources.publisher_tier(publisher) == tier


@pytest.mark.parametrize("host, tier", [
    ("www.gov.cn", "official"), ("www.miit.gov.cn", "official"), ("www.npc.gov.cn", "official"),
    ("gov.cn", "official"), ("www.news.cn", "state_media"), ("politics.people.com.cn", "state_media"),
    ("cppcc.people.com.cn", "official"), ("news.e23.cn", "state_media"), ("www.dzwww.com", "state_media"),
    ("www.caixin.com", "media"), ("www.tsinghua.edu.cn", "media"),
    # look-alikes are not what they imitate
    ("hbzcgov.cn", "other"), ("www.echinagov.com", "other"), ("gov.cn.example.com", "other"),
    ("xinhuanet.com.example.net", "other"), ("news.cn-example.com", "other"), ("192.0.2.7", "other"),
])
def test_host_tier(host, tier):
    assert sources.host_tier(host) == tier


@pytest.mark.parametrize("url", ["https://hbzcgov.cn/?xm5/", "http://www.cctv-cmpany.net/a.html",
                                 "http://cctv-cmpany.net/", "https://CHINAZNJG.COM/x", "https://m.chinaznjg.com:8080/x"])
def test_refused_hosts(url):
    assert sources.refused_reason(url)


@pytest.mark.parametrize("url", ["https://www.cctv.com/", "https://www.gov.cn/x", "https://notchinaznjg.com/",
                                 "not a url", ""])
def test_hosts_that_are_not_refused(url):
    assert sources.refused_reason(url) is None


def test_a_source_is_classified_by_its_publisher_then_by_its_own_address_never_by_via():
    assert sources.source_tier(Source(title="x", publisher="新华社", via="https://www.sohu.com/a")) == "state_media"
    assert sources.source_tier(Source(title="x", url="https://www.miit.gov.cn/a")) == "official"
    assert sources.source_tier(Source(title="x", via="https://www.gov.cn/a")) == "other"
    assert sources.source_tier(Source(title="x", publisher="某网站", url="https://www.sohu.com/a")) == "other"
    assert sources.source_tier(Source(report="r", quote="原文")) == "report"


@pytest.mark.parametrize("status, cited, basis", [
    ("verified", [Source(title="x", publisher="山东省人民政府", url="http://www.shandong.gov.cn/a"),
                  Source(title="y", publisher="新华社", via="https://a.example/")], "official"),
    ("verified", [Source(title="y", publisher="新华社", via="https://a.example/")], "media"),
    ("verified", [Source(report="r", quote="原文")], "report"),
    ("unverified", [Source(title="x", publisher="国务院", url="https://www.gov.cn/a")], "unverified"),
    ("official", [], "report"),
])
def test_what_an_entry_rests_on(status, cited, basis):
    assert sources.rests_on(status, cited) == basis


def test_the_policy_file_is_well_formed():
    data = yaml.safe_load(sources.POLICY.read_text(encoding="utf-8"))
    assert set(data["tiers"]) == set(sources.TIERS)
    listed = [h for t in data["tiers"].values() for h in t.get("hosts") or []]
    assert len(listed) == len(set(listed)), "a host is listed twice"
    assert all(h == h.lower() and "/" not in h for h in listed)
    refused = {r["host"] for r in data["refused_hosts"]}
    assert {"hbzcgov.cn", "cctv-cmpany.net", "chinaznjg.com"} <= refused
    assert not refused & set(listed)


# ---- fixture entries that must fail

def test_refused_host_in_url_fails_with_line_and_fix(tmp_path):
    _, problems = load(tmp_path, term("""  - publisher: 某网站
    title: 小巨人
    url: https://hbzcgov.cn/?xm5/
""", status="unverified"))
    assert len(problems) == 1
    p = problems[0]
    assert p.line == 11 and "hbzcgov.cn is a refused host" in p.message and "original publisher" in p.hint
    assert str(p).startswith("terms/t.yml:11: error: `sources.0.url`")


def test_refused_host_in_via_fails(tmp_path):
    _, problems = load(tmp_path, term(XINHUA_VIA.replace("https://www.example.com/copy/1.html",
                                                         "http://www.cctv-cmpany.net/news/1.html")))
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [(12, "`sources.0.via`")]


def test_refused_host_linked_in_an_explanation_fails(tmp_path):
    text = term(XINHUA_VIA) + "explanation: 见[此页](https://chinaznjg.com/a)。\n"
    _, problems = load(tmp_path, text)
    assert len(problems) == 1 and "`explanation` links chinaznjg.com" in problems[0].message


def test_verified_national_entry_without_official_or_state_media_source_fails(tmp_path):
    _, problems = load(tmp_path, term(REPORT_QUOTE + """  - publisher: 财新
    title: 一篇报道
    url: https://www.caixin.com/a.html
"""))
    assert len(problems) == 1
    assert "no source is an official body or state media" in problems[0].message
    assert "status: unverified" in problems[0].hint and problems[0].line == 8


def test_a_local_entry_may_rest_on_the_reports_own_words(tmp_path):
    terms, problems = load(tmp_path, term(REPORT_QUOTE, scope="{region: 山东省济南市天桥区}"))
    assert problems == [] and sources.rests_on(terms[0].status, terms[0].sources) == "report"


def test_a_local_entry_resting_on_other_sites_alone_fails(tmp_path):
    _, problems = load(tmp_path, term("""  - publisher: 某网站
    title: 一篇转载
    url: http://www.didadaijia.cn/a.html
""", scope="{report: jinan-tianqiao-2024}"))
    assert [p.message for p in problems] == [
        "status is verified but no source is an official body or state media (nor the report's own words)"]


def test_verified_entry_web_source_without_publisher_fails(tmp_path):
    _, problems = load(tmp_path, term(XINHUA_VIA + """  - title: 无发布者的页面
    url: https://www.miit.gov.cn/a.html
"""))
    assert len(problems) == 1
    p = problems[0]
    assert p.message == "`sources.1` has no `publisher` (the entry is verified)" and p.line == 13
    assert "publisher:" in p.hint


def test_unverified_entry_may_cite_without_publisher(tmp_path):
    _, problems = load(tmp_path, term("""  - title: 一页
    url: https://www.example.org/a
""", status="unverified"))
    assert problems == []


def test_url_on_an_other_host_with_a_state_media_publisher_fails(tmp_path):
    _, problems = load(tmp_path, term("""  - publisher: 新华社
    title: 一篇新华社电稿
    url: https://www.sohu.com/a/123
"""))
    assert len(problems) == 1
    p = problems[0]
    assert p.line == 11 and "www.sohu.com is not the site of 新华社 but a reprint" in p.message
    assert "`via:`" in p.hint


def test_url_on_an_other_host_with_an_official_publisher_fails(tmp_path):
    _, problems = load(tmp_path, term("""  - publisher: 国务院办公厅
    title: 一份通知
    url: http://www.360doc.com/content/1.shtml
"""))
    assert len(problems) == 1 and "not the site of 国务院办公厅" in problems[0].message


def test_the_same_text_at_its_publishers_address_with_the_reprint_in_via_passes(tmp_path):
    terms, problems = load(tmp_path, term("""  - publisher: 国务院办公厅
    title: 一份通知
    date: "2023-05"
    url: https://www.gov.cn/zhengce/content/a.htm
    via: http://www.360doc.com/content/1.shtml
"""))
    assert problems == []
    assert terms[0].sources[0].via == "http://www.360doc.com/content/1.shtml"


def test_notes_follow_the_policy(tmp_path):
    folder = tmp_path / "notes" / "r"
    folder.mkdir(parents=True)
    (folder / "n.yml").write_text("report: r\nquote: 一段原文\nbody: 说明\nsources:\n"
                                  "  - publisher: 人民日报\n    title: 评论\n    url: https://www.163.com/a\n"
                                  "  - title: 转载\n    url: https://chinaznjg.com/b\n", encoding="utf-8")
    problems: list[Problem] = []
    annotations.load_notes(tmp_path / "notes", problems, tmp_path)
    assert sorted((p.line, p.message.split(":")[0]) for p in problems) == [(7, "`sources.0.url`"), (9, "`sources.1.url`")]


# ---- the schema: fields and their error messages

def test_web_source_needs_url_or_via(tmp_path):
    _, problems = load(tmp_path, term("""  - publisher: 新华社
    title: 一篇电稿
"""))
    assert [str(p) for p in problems] == [
        "terms/t.yml:9: error: `sources.0` has neither `url` nor `via` — add `url:` (the publisher's own address) "
        "or `via:` (where you read a reprint)"]


@pytest.mark.parametrize("date", ["2024/01/06", "24-01-06", "2024-13", "2024-01-32", "去年"])
def test_a_date_is_yyyy_mm_dd_yyyy_mm_or_yyyy(tmp_path, date):
    _, problems = load(tmp_path, term(XINHUA_VIA.replace('"2024-03-05"', f'"{date}"')))
    assert len(problems) == 1
    assert problems[0].line == 11 and "`sources.0.date`" in problems[0].message
    assert "YYYY-MM-DD, YYYY-MM or YYYY" in problems[0].hint


@pytest.mark.parametrize("written, read", [("2024-03-05", "2024-03-05"), ('"2024-03"', "2024-03"), ("2024", "2024")])
def test_an_unquoted_date_is_read_as_text(tmp_path, written, read):
    terms, problems = load(tmp_path, term(XINHUA_VIA.replace('"2024-03-05"', written)))
    assert problems == [] and terms[0].sources[0].date == read


@pytest.mark.parametrize("field", ["url", "via"])
def test_an_address_is_http_or_https(tmp_path, field):
    _, problems = load(tmp_path, term(f"""  - publisher: 新华社
    title: 一篇电稿
    {field}: ftp://example.org/a
"""))
    assert len(problems) == 1
    assert f"`sources.0.{field}`" in problems[0].message and "http:// or https://" in problems[0].hint


def test_a_web_source_needs_a_title(tmp_path):
    _, problems = load(tmp_path, term("""  - publisher: 新华社
    url: https://www.news.cn/a.htm
"""))
    assert [p.message for p in problems] == ["missing field `sources.0.title`"]
    assert "title" in problems[0].hint


def test_a_misspelt_source_field_is_named(tmp_path):
    _, problems = load(tmp_path, term("""  - publsher: 新华社
    title: 一篇电稿
    url: https://www.news.cn/a.htm
"""))
    assert any(p.message == "unknown field `publsher`" and p.line == 9 for p in problems)


def test_a_report_source_takes_no_web_fields(tmp_path):
    _, problems = load(tmp_path, term(REPORT_QUOTE + "    via: https://www.news.cn/a.htm\n",
                                      scope="{region: 山东省}"))
    assert [(p.line, p.message) for p in problems] == [(11, "unknown field `via`")]


# ---- the build: --check fails, prints the tiers; the page shows what a source is

def golden_project(tmp_path) -> Path:
    project = copy_project(tmp_path / "p")
    import shutil
    shutil.rmtree(project / "annotations")
    shutil.copytree(GOLDEN, project / "annotations")
    return project


def test_check_prints_citations_per_tier(tmp_path):
    result = run_build(golden_project(tmp_path), "--check", "--quiet")
    assert result.returncode == 0, result.stderr
    assert ("sources: 19 citation(s): official 2, state media 2, media 0, other 6, report's own words 9 "
            "— official or state media: 40% of 10 web citation(s)") in result.stdout.splitlines()


def test_check_fails_on_a_refused_host_and_writes_nothing(tmp_path):
    project = golden_project(tmp_path)
    entry = project / "annotations" / "terms" / "zhuan-jing-te-xin.yml"
    entry.write_text(entry.read_text(encoding="utf-8").replace(
        "  - report: jinan-tianqiao-2024", "  - publisher: 工业和信息化部\n    title: 省级专精特新\n"
        "    url: https://www.miit.gov.cn/a.html\n    via: https://hbzcgov.cn/?xm5/\n  - report: jinan-tianqiao-2024"),
        encoding="utf-8")
    for args in (["--check"], []):
        result = run_build(project, *args)
        assert result.returncode == 1
        assert "annotations/terms/zhuan-jing-te-xin.yml:21: error: `sources.1.via`: hbzcgov.cn is a refused host" \
            in result.stderr, result.stderr
    assert not (project / "docs" / "reports").exists()


def test_page_shows_publisher_title_date_and_reprint(tmp_path):
    project = golden_project(tmp_path)
    assert run_build(project, "--quiet").returncode == 0
    page = (project / "docs" / "reports" / "glossary" / "index.md").read_text(encoding="utf-8")
    entry = page[page.index('id="zhuan-jing-te-xin"'):]
    entry = entry[:entry.index("</div>\n", entry.index('<div class="rr-sources"'))]  # through its sources
    assert ('<li><span class="rr-publisher">新华社</span> · <cite>专精特新发展（科技型中小企业将纳入优质中小企业梯度培育范围）</cite>'
            ' · <time datetime="2026-01-17">2026-01-17</time> · <span class="rr-via">转载：<a href="https://reportify.cn/tags/'
            in entry)
    assert 'data-basis="media"' in entry and "rr-basis--media\">媒体报道</span>" in entry
    # the filter is in the page, hidden until reader.js shows it
    assert '<div class="rr-basis-filter" hidden data-pagefind-ignore><p>按依据筛选</p><ul><li data-value="all">全部（2）</li><li data-value="media">媒体报道（1）</li><li data-value="unverified">未核实（1）</li></ul></div>' in page
    section = (project / "docs" / "reports" / "jinan-tianqiao-2024" / "s3" / "index.md").read_text(encoding="utf-8")
    # the mark points at the term list, which says once what the entry rests on (the tooltip reads it)
    assert '#wu-xiang-bao-zhang" aria-describedby="t-wu-xiang-bao-zhang">' in section
    item = re.search(r'<dt id="t-wu-xiang-bao-zhang">.*?</dd>', section).group(0)
    assert item.endswith('<span class="rr-status rr-basis rr-basis--report">报告原文</span></dd>'), item
    local = (project / "docs" / "reports" / "jinan-tianqiao-2024" / "glossary" / "index.md").read_text(encoding="utf-8")
    # an unverified entry's sources: title first, no publisher given; the publisher's url is linked
    assert ('<li><span class="rr-publisher">舜网-济南日报</span> · <cite><a href="http://news.e23.cn/jnnews/2024-01-06/'
            in local)


# ---- the live annotations

def _citations(path: Path):
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for s in data.get("sources") or []:
        for field in ("url", "via"):
            if isinstance(s, dict) and s.get(field):
                yield field, s[field]
    for field in ("explanation", "body"):
        for address in sources._URL_IN_TEXT.findall(str(data.get(field) or "")):
            yield field, address


def test_no_citation_in_annotations_uses_a_refused_host():
    files = sorted((ROOT / "annotations").rglob("*.yml"))
    assert files
    found = [f"{p.relative_to(ROOT)}: {field} {address}" for p in files for field, address in _citations(p)
             if sources.refused_reason(address)]
    assert found == []


# ---- in the browser: the glossary's filter by what entries rest on

@pytest.fixture(scope="module")
def golden_site(tmp_path_factory):
    from conftest import run_mkdocs, serve_site
    project = golden_project(tmp_path_factory.mktemp("sources-site"))
    assert run_build(project, "--quiet").returncode == 0
    built = run_mkdocs(project)
    assert built.returncode == 0, built.stderr
    with serve_site(project / "site") as url:
        yield url + "reports/jinan-tianqiao-2024/glossary/"


def visible_bases(page) -> list[str]:
    return page.eval_on_selector_all("[data-basis]", "els => els.filter(e => e.offsetParent !== null)"
                                                     ".map(e => e.getAttribute('data-basis'))")


def test_the_glossary_filter_works_by_keyboard_on_a_phone(browser, golden_site):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(golden_site)
    assert page.is_visible(".rr-basis-filter fieldset")
    assert sorted(set(visible_bases(page))) == ["media", "report", "unverified"]
    page.focus('.rr-basis-filter input[value="all"]')
    page.keyboard.press("ArrowRight")  # 媒体报道
    page.keyboard.press("ArrowRight")  # 报告原文
    assert page.eval_on_selector(".rr-basis-filter input:checked", "e => e.value") == "report"
    assert set(visible_bases(page)) == {"report"} and len(visible_bases(page)) == 3
    # an entry's heading goes with it, and a letter with nothing left to show is hidden
    assert page.is_hidden("h3#si-gui-yi-ti") and page.is_visible("h3#wu-xiang-bao-zhang")
    assert page.is_hidden("h2#letter-x") is False and page.is_hidden("h2#letter-s")
    assert page.inner_text(".rr-basis-count") == "显示 3 条"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")  # 全部
    assert len(visible_bases(page)) == 8
    context.close()


def test_without_javascript_every_entry_shows_and_no_filter(browser, golden_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(golden_site)
    assert page.is_hidden(".rr-basis-filter")
    assert len(visible_bases(page)) == 8
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_filter_and_the_sources_pass_axe(browser, golden_site, scheme):
    from conftest import axe_source, axe_violations
    source = axe_source()
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  color_scheme=scheme)
    page = context.new_page()
    found = {}
    for path in (golden_site, golden_site.replace("jinan-tianqiao-2024/glossary/", "glossary/")):
        page.goto(path)
        page.check('.rr-basis-filter input[value="media"]')
        found[path] = axe_violations(page, source)
    context.close()
    assert found == {golden_site: [], golden_site.replace("jinan-tianqiao-2024/glossary/", "glossary/"): []}


def test_source_report_measures_the_entries_marked_in_a_report(tmp_path):
    import subprocess
    import sys
    project = golden_project(tmp_path)
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "source_report.py"), "jinan-tianqiao-2024",
                             "--root", str(project)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # 7 web citations in the entries, 3 in the notes; 舜网-济南日报, 新华社 and 深圳市规划和自然资源局 are
    # named, and one more page is on a gov.cn host without a publisher
    assert lines[:5] == ["jinan-tianqiao-2024: 8 glossary entries marked, 2 notes",
                         "web citations: 10; naming an official or state-media publisher: 3 (30%, target ≥ 60%)",
                         "  glossary entries: 2 of 7 (29%)", "  notes: 1 of 3 (33%)",
                         "  official or state media by publisher or by the publisher's own address: 4 (40%)"]
    assert "glossary entries rest on: 官方来源 0, 媒体报道 1, 报告原文 3, 未核实 4" in lines
    unknown = subprocess.run([sys.executable, str(ROOT / "tools" / "source_report.py"), "no-such-report",
                              "--root", str(project)], capture_output=True, text=True)
    assert unknown.returncode == 1 and "error: report `no-such-report` is not in seeds/" in unknown.stderr
