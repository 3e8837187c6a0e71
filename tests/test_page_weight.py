"""Page weight on a site of the seed and the shared corpus, in bytes (deterministic, unlike time): a
term's tooltip text is in a section page once, in its term list, however often the term is used; a
paragraph's 加注 link carries no prefilled note (reader.js builds it when the link is used)."""

import re

SHORT = re.compile(r'<dt id="t-([^"]+)">.*?</dt><dd>(.*?) <span class="rr-status', re.S)


def section_pages(site):
    return sorted(site.glob("reports/*/s*/index.html"))


def test_a_term_definition_is_written_once_per_section_page(corpus_site):
    checked = 0
    for page in section_pages(corpus_site / "site"):
        text = page.read_text(encoding="utf-8")
        for term_id, short in SHORT.findall(text):
            # no mark (no tag at all) carries it: the term list's <dd> is the one copy. (A term nested
            # in a longer one is listed without a mark of its own.)
            marks = len(re.findall(f'<a class="rr-term"[^>]* href="[^"]*#{re.escape(term_id)}"', text))
            assert not re.search("<[^<>]*" + re.escape(short), text), (page, term_id, marks)
            checked += marks
    assert checked > 300  # every section page has a term list; the corpus's sections mark about 500 terms


def test_add_note_links_carry_no_prefilled_note(corpus_site):
    links = []
    for page in section_pages(corpus_site / "site"):
        links += re.findall(r'<a class="rr-addnote"[^>]*>', page.read_text(encoding="utf-8"))
    assert len(links) > 200  # one a paragraph: about 250
    for link in links:
        assert "/tree/main/annotations/notes/" in link and "value=" not in link and "/new/" not in link, link
        assert len(link.encode()) < 300, link
