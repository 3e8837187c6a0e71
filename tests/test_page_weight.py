"""Page weight on a site of the seed and the shared corpus, in bytes (deterministic, unlike time): a
term's tooltip text is in a section page once, in its term list, however often the term is used; a
paragraph's 加注 link carries no prefilled note (reader.js builds it when the link is used)."""

import re
import shutil

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


def test_a_page_holds_its_table_of_contents_once(corpus_site):
    pages = sorted((corpus_site / "site").rglob("*.html"))
    with_toc = 0
    for page in pages:
        count = page.read_text(encoding="utf-8").count('class="md-nav md-nav--secondary"')
        assert count <= 1, page
        with_toc += count
    assert with_toc >= 18  # every section page has one


def _tags_text_scripts(html: str) -> tuple[list[str], list[str], list[str]]:
    """What a reader or a script gets from a page, whitespace between tags aside: every tag with its
    attributes, the text as words (tags join words, so two words glued together would show), scripts."""
    scripts = re.findall(r"<script\b.*?</script>|<pre\b.*?</pre>|<textarea\b.*?</textarea>", html, re.S)
    tags = [re.sub(r"\s+", " ", t).replace(" >", ">") for t in re.findall(r"<[^>]+>", html)]
    text = re.sub(r"<[^>]+>", "", re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)).split()
    return tags, text, scripts


def test_trimming_the_templates_whitespace_changes_nothing_else(built_project, tmp_path):
    """hooks/trim_template_whitespace.py against the same site built without it."""
    from conftest import copy_project, run_mkdocs
    plain = copy_project(tmp_path / "plain")  # the hand-written files; the generated ones are the built project's
    shutil.copytree(built_project / "docs" / "reports", plain / "docs" / "reports", dirs_exist_ok=True)
    shutil.copy2(built_project / "docs" / "index.md", plain / "docs" / "index.md")
    config = plain / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "hooks/trim_template_whitespace.py" in text
    config.write_text("".join(line for line in text.splitlines(True) if "trim_template_whitespace" not in line),
                      encoding="utf-8")
    built = run_mkdocs(plain)
    assert built.returncode == 0, built.stderr
    trimmed_site, plain_site = built_project / "site", plain / "site"
    pages = sorted(p.relative_to(plain_site) for p in plain_site.rglob("*.html"))
    assert pages == sorted(p.relative_to(trimmed_site) for p in trimmed_site.rglob("*.html"))
    saved = 0
    for rel in pages:
        trimmed = (trimmed_site / rel).read_text(encoding="utf-8")
        untrimmed = (plain_site / rel).read_text(encoding="utf-8")
        if "生成日期" in untrimmed:  # the build date: the two builds may straddle midnight
            untrimmed = re.sub(r"生成日期：\d{4}-\d{2}-\d{2}", "", untrimmed)
            trimmed = re.sub(r"生成日期：\d{4}-\d{2}-\d{2}", "", trimmed)
        assert _tags_text_scripts(trimmed) == _tags_text_scripts(untrimmed), rel
        saved += len(untrimmed.encode()) - len(trimmed.encode())
    assert saved > 1000 * len(pages), saved  # the lines and indentation its tags leave: 2–4 KB a page
