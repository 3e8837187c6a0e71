"""Search finds the sentence: on a site of the seed and the shared corpus, a reader who types a
term in Material's search box (real build, real Chromium) gets first the paragraph that uses it,
not a page's term list, its notes, a glossary or the whole-report print page."""

import html
import re

import pytest

from conftest import search_results, serve_site

# Terms of the glossaries that the reports use, from one report to many: each is in a section's
# term list as well as in its paragraphs, so a term list could outrank the paragraph.
TERMS = ["两重", "预制菜", "拆违控违", "低空经济", "以工代赈", "高标准农田", "枫桥经验", "银发经济",
         "首发经济", "新质生产力"]

SECTION_PAGE = re.compile(r"/reports/[^/]+/s\d+/(#.*)?$")


def paragraph_texts(site) -> list[str]:
    """The words of every report paragraph on the section pages, tags taken off."""
    texts = []
    for page in site.glob("reports/*/s*/index.html"):
        for body in re.findall(r'<p class="rr-p[^"]*"[^>]*>(.*?)</p>', page.read_text(encoding="utf-8"), re.S):
            texts.append(html.unescape(re.sub(r"<[^>]+>", "", body)))
    return texts


def test_the_chosen_terms_are_in_paragraphs_and_in_term_lists(corpus_site):
    site = corpus_site / "site"
    texts = paragraph_texts(site)
    listed = "".join(dl for p in site.glob("reports/*/s*/index.html")
                     for dl in re.findall(r'<dl class="rr-termlist">.*?</dl>', p.read_text(encoding="utf-8"), re.S))
    for term in TERMS:
        assert any(term in t for t in texts), term
        assert f"{term}</a>" in listed or f"{term}”</a>" in listed, term


@pytest.fixture(scope="module")
def search_page(browser, corpus_site):
    with serve_site(corpus_site / "site") as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        yield context.new_page(), url
        context.close()


@pytest.mark.parametrize("term", TERMS)
def test_the_first_result_is_a_paragraph_that_uses_the_term(search_page, term):
    page, url = search_page
    hits = search_results(page, url, term)
    shown = [hit for hit in hits if hit["snippet"]]
    assert shown, hits
    first = shown[0]
    address = re.sub(r"\?[^#]*", "", first["href"])  # without ?h=, the words search.highlight marks
    assert SECTION_PAGE.search(address), first
    assert address.partition("#")[2] not in ("terms", "notes"), first
    # the report's words the result shows: a lead or sub-heading, then the text under it
    assert term in first["title"] + first["snippet"], first
