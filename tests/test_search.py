"""Search finds the sentence: on a site of the seed and the shared corpus (real build, Pagefind's
index, real Chromium), a reader who opens the header's search and types a term gets first a report
section whose excerpt is the paragraph that uses it, not a term list, a note, a glossary or the
whole-report print page. The page loads nothing of search until the dialog opens; the dialog works
from the keyboard and passes axe at phone width in both schemes."""

import html
import re

import pytest

from conftest import axe_source, axe_violations, search_results, serve_site

# Terms of the glossaries that the reports use, from one report to many: each is in a section's
# term list as well as in its paragraphs, so a term list could outrank the paragraph.
TERMS = ["两重", "预制菜", "拆违控违", "低空经济", "以工代赈", "高标准农田", "枫桥经验", "银发经济",
         "首发经济", "新质生产力"]

SECTION_PAGE = re.compile(r"/reports/[^/]+/s\d+/(#.*)?$")
SECTION = "reports/yunnan-2026/s3/"


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


def paragraph_texts(site) -> list[str]:
    """The words of every report paragraph and lead on the section pages, tags taken off."""
    texts = []
    for page in site.glob("reports/*/s*/index.html"):
        source = page.read_text(encoding="utf-8")
        texts += [_text(b) for b in re.findall(r'<p class="rr-p[^"]*"[^>]*>(.*?)</p>', source, re.S)]
        texts += [_text(b) for b in re.findall(r'<h2 class="rr-lead"[^>]*>(.*?)</h2>', source, re.S)]
    return texts


def listed_texts(site) -> list[str]:
    """The words of the section pages' term lists and notes: what search must not show."""
    return [_text(block) for p in site.glob("reports/*/s*/index.html")
            for block in re.findall(r'<(?:dl class="rr-termlist"|ol class="rr-notes").*?</(?:dl|ol)>',
                                    p.read_text(encoding="utf-8"), re.S)]


def test_the_chosen_terms_are_in_paragraphs_and_in_term_lists(corpus_site):
    site = corpus_site / "site"
    texts = paragraph_texts(site)
    listed = "".join(dl for p in site.glob("reports/*/s*/index.html")
                     for dl in re.findall(r'<dl class="rr-termlist"[^>]*>.*?</dl>', p.read_text(encoding="utf-8"), re.S))
    for term in TERMS:
        assert any(term in t for t in texts), term
        assert f"{term}</a>" in listed or f"{term}”</a>" in listed, term


def test_only_the_reports_and_glossaries_are_indexed(corpus_site):
    """Pagefind indexes the pages that carry data-pagefind-body: sections, landing pages and
    glossaries; never the print page, the figures, the term index, the home or the contributing page."""
    site = corpus_site / "site"
    assert (site / "pagefind" / "pagefind.js").is_file()
    bodies = {p.relative_to(site).parent.as_posix() for p in site.rglob("index.html")
              if "data-pagefind-body" in p.read_text(encoding="utf-8")}
    assert "reports/yunnan-2026/s3" in bodies and "reports/yunnan-2026" in bodies
    assert "reports/glossary" in bodies and "reports/yunnan-2026/glossary" in bodies
    for page in bodies:
        assert re.fullmatch(r"reports/[^/]+(/s\d+|/glossary(-[a-z0-9]+)?)?|reports/glossary(-[a-z0-9]+)?", page), page
        assert not re.search(r"/(print|figures)$|^reports/(terms|targets)", page), page
    for section in site.glob("reports/*/s*/index.html"):
        source = section.read_text(encoding="utf-8")
        for block in ('<dl class="rr-termlist"', '<ol class="rr-notes"', '<nav class="rr-pager"', '<p class="rr-kicker"'):
            for tag in re.findall(re.escape(block) + r"[^>]*>", source):
                assert "data-pagefind-ignore" in tag, (section, tag)


@pytest.fixture(scope="module")
def search_page(browser, corpus_site):
    with serve_site(corpus_site / "site") as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        yield page, url
        context.close()


@pytest.mark.parametrize("term", TERMS)
def test_the_first_result_is_a_paragraph_that_uses_the_term(search_page, corpus_site, term):
    page, url = search_page
    hits = search_results(page, url + SECTION, term)
    assert hits, term
    first = hits[0]
    assert SECTION_PAGE.search(first["href"]), first
    assert first["href"].partition("#")[2] not in ("terms", "notes"), first
    assert term in first["marked"], first  # the term itself is marked, not only its parts
    # The excerpt is the report's words: a slice of one paragraph or lead, never of a term list or note.
    shown = first["excerpt"].strip("…")
    texts = paragraph_texts(corpus_site / "site")
    around = shown.partition(term)
    assert any(around[0][-10:] + term + around[2][:10] in t for t in texts), first
    assert not any(shown in t for t in listed_texts(corpus_site / "site")), first


def test_a_result_links_to_the_part_of_the_section_that_holds_the_term(search_page, corpus_site):
    page, url = search_page
    first = search_results(page, url + SECTION, "枫桥经验")[0]
    address, _, anchor = first["href"].partition("#")
    assert anchor, first
    target = corpus_site / "site" / address.removeprefix(url) / "index.html"
    source = target.read_text(encoding="utf-8")
    start = source.index(f'id="{anchor}"')
    following = re.search(r'<h[12] [^>]*id="', source[start + 1:])
    part = source[start: start + 1 + following.start()] if following else source[start:]
    assert "枫桥经验" in _text(part), first


def test_loading_a_page_fetches_nothing_of_search(browser, corpus_site):
    with serve_site(corpus_site / "site") as url:
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page = context.new_page()
        seen = []
        page.on("request", lambda r: seen.append(r.url))
        page.goto(url + SECTION, wait_until="networkidle")
        assert page.is_visible("button.rr-search-open")
        assert not [u for u in seen if "/pagefind/" in u or "search_index" in u or u.endswith("search.css")], seen
        # Opening the dialog is what loads Pagefind; a search fetches part of the index.
        page.tap("button.rr-search-open")
        page.fill(".rr-search__field", "低空经济")
        page.wait_for_function("() => /个页面含/.test(document.querySelector('.rr-search__status').textContent)",
                               timeout=60000)
        assert any(u.endswith("/pagefind/pagefind.js") for u in seen), seen
        context.close()


def test_without_javascript_there_is_no_dead_search_button(browser, corpus_site):
    with serve_site(corpus_site / "site") as url:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(url + SECTION)
        assert page.locator("button.rr-search-open").count() == 1
        assert not page.is_visible("button.rr-search-open")
        context.close()


def test_the_keyboard_opens_and_closes_search_and_focus_returns(search_page):
    page, url = search_page
    page.goto(url + SECTION)
    button = page.locator("button.rr-search-open")
    assert button.get_attribute("aria-label") == "搜索"
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('rr-search').open")
    assert page.evaluate("document.activeElement.matches('.rr-search__field')")
    page.keyboard.type("两重")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.getElementById('rr-search').open")
    assert page.evaluate("document.activeElement.matches('button.rr-search-open')")
    page.keyboard.press("Space")
    page.wait_for_function("() => document.getElementById('rr-search').open")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.getElementById('rr-search').open")
    # `/` opens it from anywhere on the page, as Material's search did
    page.locator("article h1").click()
    page.keyboard.press("/")
    page.wait_for_function("() => document.getElementById('rr-search').open"
                           " && document.activeElement.matches('.rr-search__field')")
    assert page.input_value(".rr-search__field") == "两重"  # the query is kept, not the typed slash
    page.keyboard.press("Escape")


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_the_open_dialog_fills_a_phone_screen_and_passes_axe(browser, corpus_site, scheme):
    source = axe_source()
    with serve_site(corpus_site / "site") as url:
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                      color_scheme="dark" if scheme == "slate" else "light")
        page = context.new_page()
        page.goto(url + SECTION)
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
        page.tap("button.rr-search-open")
        page.wait_for_function("() => document.getElementById('rr-search').open")
        page.fill(".rr-search__field", "低空经济")
        page.wait_for_function("() => /个页面含/.test(document.querySelector('.rr-search__status').textContent)",
                               timeout=60000)
        box = page.locator("#rr-search").bounding_box()
        assert box["x"] <= 0 and box["y"] <= 0 and box["width"] >= 390 and box["height"] >= 844, box
        colours = page.evaluate("""() => {
            const d = getComputedStyle(document.getElementById('rr-search'));
            return [d.color, d.backgroundColor];
        }""")
        assert colours[0] != colours[1], colours
        assert axe_violations(page, source) == []
        # a result is a link a finger can follow
        first = page.locator(".rr-search__result a").first
        href = first.get_attribute("href")
        first.tap()
        page.wait_for_url(re.compile(re.escape(href.split("#")[0])))
        context.close()
