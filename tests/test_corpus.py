"""Reports the project was not written for: the four corpus reports (../shared/corpus/) and a
synthetic report with its own 名词解释, copied into a temporary project's seeds/, generated and
built with `mkdocs build --strict`. Every check counts from the raw text on its own terms."""

import html
import os
import re
import shutil
import unicodedata
from fnmatch import fnmatch
from pathlib import Path

import pytest

from conftest import SHARED, broken_links, copy_project, run_build, run_mkdocs

CORPUS = sorted((SHARED / "corpus").glob("*.txt"))
CORPUS_BY_NAME = {seed.stem: seed for seed in CORPUS}
if not CORPUS and os.environ.get("CI"):
    raise RuntimeError("CI runs beside ../shared/corpus/; it is missing")
FIXTURE = Path(__file__).parent / "fixtures" / "official-glossary.txt"
UNUSUAL = Path(__file__).parent / "fixtures" / "unusual-structure.txt"  # no title, date, salutation or heading
LEVEL1 = re.compile(r"^[一二三四五六七八九十]+、")
LEVEL2 = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")
SENTENCE = "。！？；"

pytestmark = pytest.mark.skipif(not CORPUS, reason="../shared/corpus/ is not there")


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("corpus") / "project")
    for seed in [*CORPUS, FIXTURE, UNUSUAL]:
        shutil.copy(seed, project / "seeds" / seed.name)
    generated = run_build(project)
    assert generated.returncode == 0, generated.stderr
    built = run_mkdocs(project)
    assert built.returncode == 0, built.stderr + built.stdout
    return project, generated.stdout + generated.stderr


@pytest.fixture(scope="module")
def corpus_project(corpus_build) -> Path:
    return corpus_build[0]


# ---------------------------------------------------------------- reading the raw text and the pages

def raw_lines(seed: Path) -> list[str]:
    """The seed's non-empty lines; a line holding only an opening bracket belongs to the next one."""
    out: list[str] = []
    for line in seed.read_text(encoding="utf-8-sig").splitlines():
        line = line.strip()
        if not line:
            continue
        if out and out[-1] in ("（", "("):
            out[-1] += line
        else:
            out.append(line)
    return out


def norm(text: str) -> str:
    """Compare text whatever its width, spacing or quote style."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "―": "—", "－": "-"}))
    return re.sub(r"\s+", "", text)


def report_units(page: str) -> list[str]:
    """The report's own words on a generated page: headings, paragraphs and front matter, as text."""
    page = re.sub(r"\A---\n.*?\n---\n", "", page, flags=re.S)
    page = re.sub(r'<sup class="rr-noteref">.*?</sup>|<a class="rr-addnote".*?</a>', "", page)
    units = []
    for line in page.splitlines():
        if line.startswith("#"):
            line = re.sub(r"\\(.)", r"\1", re.sub(r"\s*\{[^}]*\}\s*$", "", line).lstrip("#").strip())
            units.append(line)
        elif line.startswith('<p class="rr-p'):
            units.append(line)
        elif line.startswith('<div class="rr-frontmatter">'):
            units += re.findall(r"<p>(.*?)</p>", line)
    return [html.unescape(re.sub(r"<[^>]+>", "", u)).strip() for u in units]


def pages_of(project: Path, seed: Path, pattern: str = "*") -> dict[str, str]:
    """A report's pages by name ("index" for its landing page, else the page's folder: "s1",
    "glossary"), those whose name matches `pattern`."""
    folder = project / "docs" / "reports" / seed.stem
    pages = {("index" if p.parent == folder else p.parent.name): p for p in sorted(folder.glob("**/index.md"))}
    return {name: p.read_text(encoding="utf-8") for name, p in sorted(pages.items()) if fnmatch(name, pattern)}


def furniture_of(seed: Path) -> list[str]:
    """Counted on the raw text alone: what stands before the salutation that opens the speech and after
    the last paragraph addressed to the delegates, except the title, the dateline and the speaker."""
    lines = raw_lines(seed)
    first = next(i for i, s in enumerate(lines) if s.startswith("各位代表"))
    last = max(i for i, s in enumerate(lines) if s.startswith("各位代表"))

    def own(line):
        return ("会议上" in line or re.fullmatch(r"\S{0,12}省长[\s\u3000]*\S{2,4}", line)
                or ("政府工作报告" in line and not line.endswith("作政府工作报告")))
    return [s for s in lines[:first] + lines[last + 1:] if not own(s)]


# ---------------------------------------------------------------- the corpus reports

@pytest.mark.parametrize("seed", CORPUS, ids=[p.stem for p in CORPUS])
def test_report_builds_into_pages(corpus_project, corpus_build, seed):
    site = corpus_project / "site" / "reports" / seed.stem
    assert (site / "index.html").exists() and (site / "glossary" / "index.html").exists()
    assert len(list(site.glob("s*/index.html"))) >= 2
    assert f"seeds/{seed.name}:" in corpus_build[1]


@pytest.mark.parametrize("seed", CORPUS, ids=[p.stem for p in CORPUS])
def test_first_and_second_level_headings_found_equal_those_in_the_text(corpus_project, seed):
    lines = raw_lines(seed)
    in_text = (sum(bool(LEVEL1.match(s)) for s in lines), sum(bool(LEVEL2.match(s)) for s in lines))
    pages = pages_of(corpus_project, seed, "s*")
    titles = [report_units(text)[0] for text in pages.values()]
    level1 = sum(bool(LEVEL1.match(t)) for t in titles)
    subheadings = [re.sub(r"\\(.)", r"\1", h) for text in pages.values() for h in re.findall(r"^#{2,6} (.*)$", text, re.M)]
    level2 = sum(bool(LEVEL2.match(h)) for h in subheadings)
    assert in_text[0] >= 3 and in_text[1] >= 10  # the corpus reports do have both levels
    assert (level1, level2) == in_text


@pytest.mark.parametrize("seed", CORPUS, ids=[p.stem for p in CORPUS])
def test_no_furniture_line_appears_in_any_generated_page(corpus_project, seed):
    furniture = furniture_of(seed)
    assert furniture, "each corpus page has furniture around the report"
    for name, text in pages_of(corpus_project, seed).items():
        units = report_units(text)
        joined = norm("".join(units))
        for line in furniture:
            assert line not in units, f"{name}: furniture line “{line}”"
            if len(line) >= 6:
                assert norm(line) not in joined, f"{name}: furniture line “{line}”"


@pytest.mark.parametrize("seed", CORPUS, ids=[p.stem for p in CORPUS])
def test_every_sentence_of_the_report_is_on_the_site(corpus_project, seed):
    pages = pages_of(corpus_project, seed, "s*")
    site_text = norm("".join(u for text in pages.values() for u in report_units(text)))
    lines = raw_lines(seed)
    body = [s for s in lines if any(c in s for c in SENTENCE) or LEVEL1.match(s) or LEVEL2.match(s)]
    sentences = [piece for s in body for piece in re.split(f"(?<=[{SENTENCE}])", s) if piece.strip()]
    assert sum(len(s) for s in sentences) > 15000  # the whole report, not a piece of it
    lost = [s for s in sentences if norm(s) not in site_text]
    assert not lost, f"{len(lost)} sentence(s) lost, e.g. {lost[:3]}"


@pytest.mark.parametrize("seed", CORPUS, ids=[p.stem for p in CORPUS])
def test_dateline_and_speaker_are_shown_with_the_report(corpus_project, seed):
    lines = raw_lines(seed)
    first = next(i for i, s in enumerate(lines) if s.startswith("各位代表"))
    own = [s for s in lines[:first] if "会议上" in s or re.fullmatch(r"\S{0,12}省长[\s\u3000]*\S{2,4}", s)]
    landing = norm("".join(report_units(pages_of(corpus_project, seed)["index"])))
    assert own and all(norm(s) in landing for s in own)


# ---------------------------------------------------------------- a report's own glossary

def test_report_glossary_entries_are_official_and_verbatim(corpus_project):
    page = pages_of(corpus_project, FIXTURE)["glossary"]
    text = FIXTURE.read_text(encoding="utf-8")
    block = text[text.index("名词解释"):].splitlines()[1:]
    explanations = [re.sub(r"^\d+\.“[^”]+”：", "", line) for line in block if re.match(r"^\d+\.", line)]
    assert len(explanations) == 3
    shown = norm(html.unescape(re.sub(r"<[^>]+>", "", page)))
    for explanation in explanations:
        assert norm(explanation) in shown
    assert norm("是县级财政支出的优先事项。") in shown  # an entry's continuation line
    assert page.count("报告原文释义</span>") >= 3


def test_report_glossary_block_is_not_a_section(corpus_project):
    for name, text in pages_of(corpus_project, FIXTURE, "s*").items():
        words = "".join(report_units(text))
        assert "名词解释" not in words and "是指国家重大战略实施" not in words, name
    nav = (corpus_project / "docs" / "reports" / ".nav.yml").read_text(encoding="utf-8")
    assert "名词解释" not in nav


def test_markers_and_terms_link_to_the_report_own_entries(corpus_project):
    site = corpus_project / "site" / "reports" / FIXTURE.stem
    page = site / "s1" / "index.html"
    text = page.read_text(encoding="utf-8")
    markers = re.findall(r'<sup class="rr-official-ref"><a href="([^"]+)"[^>]*>([^<]+)</a></sup>', text)
    assert [m[1] for m in markers] == ["[1]", "〔2〕"]
    for href, _ in markers:
        path, _, fragment = href.partition("#")
        target = (page.parent / path / "index.html").resolve()
        assert target.exists() and f'id="{fragment}"' in target.read_text(encoding="utf-8")
    assert re.search(r'<a class="rr-term" href="[^"]*#official-glossary--1"[^>]*>“两重”</a>', text)
    later = (site / "s2" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<sup class="rr-official-ref"><a [^>]*>［3］</a></sup>', later)


# ---------------------------------------------------------------- an unusual report

def test_unusual_structure_builds_with_warnings_naming_the_rules(corpus_project, corpus_build):
    warnings = [line for line in corpus_build[1].splitlines() if line.startswith(f"seeds/{UNUSUAL.name}") and ": warning: " in line]
    for rule in ("title", "date", "headings"):
        assert any(f"rule `{rule}`" in w for w in warnings), rule
    pages = pages_of(corpus_project, UNUSUAL, "s*")
    assert list(pages) == ["s0"]
    words = norm("".join(report_units(pages["s0"])))
    assert all(norm(line) in words for line in raw_lines(UNUSUAL))


# ---------------------------------------------------------------- many reports on one site

def test_home_page_lists_every_report_by_region_and_by_year(corpus_project):
    home = (corpus_project / "site" / "index.html").read_text(encoding="utf-8")
    by_region, by_year = home.split('id="by-year"', 1)
    for seed in CORPUS:
        link = f'href="reports/{seed.stem}/"'
        assert link in by_region and link in by_year, seed.stem
    # Shandong holds two reports (the province and the Tianqiao district), listed under one heading
    shandong = by_region.split('id="山东省"', 1)[1].split("<h3", 1)[0]
    assert 'reports/shandong-2026/' in shandong and 'reports/jinan-tianqiao-2024/' in shandong
    assert by_year.index('id="year-2026"') < by_year.index('id="year-2024"')
    # a report whose region or year was not recognised is listed last, not first
    if "未识别" in by_year:
        assert by_year.index("未识别") > by_year.index('id="year-2024"')


def test_a_local_slogan_does_not_annotate_another_region(corpus_project):
    shaanxi = "".join(pages_of(corpus_project, CORPUS_BY_NAME["shaanxi-2026"]).values())
    tianqiao = (corpus_project / "docs/reports/jinan-tianqiao-2024/s0/index.md").read_text(encoding="utf-8")
    def marks(page, term_id):
        return re.findall(f'<a class="rr-term" href="[^"]*#{term_id}"', page)
    assert "组团" in shaanxi and not marks(shaanxi, "zu-tuan")  # 组团 is scoped to 天桥区
    assert marks(tianqiao, "zu-tuan")
    assert marks(shaanxi, "zhao-shang-yin-zi")  # a national term applies everywhere


def test_term_index_names_every_report_that_uses_a_term(corpus_project):
    index = "".join(p.read_text(encoding="utf-8") for p in sorted((corpus_project / "docs/reports").glob("terms*/index.md")))
    row = index[index.index('<tr id="zhao-shang-yin-zi">'):]
    row = row[:row.index("</tr>")]
    assert ">招商引资</a>" in row
    for name in ["jinan-tianqiao-2024", "shaanxi-2026"]:
        assert f"{name}/glossary/#zhao-shang-yin-zi" in row, name


def test_every_internal_link_of_the_many_report_site_resolves(corpus_project):
    broken = broken_links(corpus_project / "site")
    assert not broken, "\n".join(broken[:20])


def test_no_page_of_the_many_report_site_is_over_500_kb(corpus_project):
    pages = {p.relative_to(corpus_project / "site").as_posix(): p.stat().st_size
             for p in (corpus_project / "site").rglob("*.html")}
    assert len(pages) > 30
    heavy = {p: n for p, n in pages.items() if n > 500_000}
    assert not heavy, heavy
