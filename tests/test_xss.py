"""Annotation Markdown is sanitised: the common XSS vectors, fed through a glossary entry and a note,
must not run in Chromium nor leave a script, handler, javascript:/data: URL, iframe, form or style."""

import re

import pytest

from conftest import ROOT, copy_project, run_build, run_mkdocs, serve_site

VECTORS = [
    "<script>window.__xss = 'script'</script>",
    '<img src="x" onerror="window.__xss = \'img\'">',
    "<svg onload=\"window.__xss = 'svg'\"></svg>",
    "[click](javascript:window.__xss='md-link')",
    '<a href="javascript:window.__xss=\'a\'">a</a>',
    '<a href="data:text/html,<script>parent.__xss=1</script>">d</a>',
    '<iframe src="javascript:parent.__xss=\'iframe\'"></iframe>',
    '<form action="https://example.com/"><input name="q"><button>go</button></form>',
    "<style>body { display: none }</style>",
    '<p style="background:url(javascript:window.__xss=1)">styled</p>',
    '<details open ontoggle="window.__xss=\'details\'">x</details>',
    '<a href="https://example.com/" onmouseover="window.__xss=\'hover\'">ok link</a>',
]
BODY = "\n\n".join(VECTORS)
TERM = """id: zhao-shang-yin-zi
term: 招商引资
english: '<svg/onload=window.__xss=1>'  # escaped text; the slash keeps the markup check's pattern off it
category: general
short: '"><script>window.__xss="short"</script>'
explanation: |
{explanation}
scope: all
status: unverified
"""
NOTE = """report: jinan-tianqiao-2024
quote: 洽谈项目88个
body: |
{body}
"""


def indent(text):
    return "\n".join("  " + line for line in text.splitlines())


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("xss") / "p")
    # the hostile entry replaces a real one, so it is marked in the text and linked from others
    (project / "annotations/terms/zhao-shang-yin-zi.yml").write_text(TERM.format(explanation=indent(BODY)), encoding="utf-8")
    (project / "annotations/notes/jinan-tianqiao-2024/xss.yml").write_text(NOTE.format(body=indent(BODY)), encoding="utf-8")
    gen = run_build(project, "--quiet")
    assert gen.returncode == 0, gen.stderr
    built = run_mkdocs(project)
    assert built.returncode == 0, built.stderr
    with serve_site(project / "site") as url:
        yield project, url


def article(html: str) -> str:
    """The page's own content: from its title to the end of the article (the theme's icons excluded)."""
    return html.split('<h1', 1)[1].split("</article>", 1)[0]


@pytest.mark.parametrize("page_path", ["reports/jinan-tianqiao-2024/s0/", "reports/glossary/"])
def test_no_dangerous_markup_reaches_the_page(hostile_site, page_path):
    project, _ = hostile_site
    html = article((project / "site" / page_path / "index.html").read_text(encoding="utf-8"))
    assert "ok link" in html or "招商引资" in html  # the hostile content is there, defused
    for pattern in [r"<script", r"\son\w+\s*=", r"javascript:", r"data:text", r"<iframe", r"<form", r"<input",
                    r"<style", r"\sstyle\s*=", r"<svg", r"<img"]:
        assert not re.search(pattern, html, re.I), pattern


@pytest.mark.parametrize("page_path", ["reports/jinan-tianqiao-2024/s0/", "reports/glossary/"])
def test_nothing_runs_in_chromium(browser, hostile_site, page_path):
    _, url = hostile_site
    context = browser.new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url + page_path)
    for link in page.locator("article a").all()[:200]:
        if link.is_visible():
            link.hover()
    for sel in ["article details", "article a[href^='javascript']"]:
        for el in page.locator(sel).all():
            el.click()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("parent.__xss") is None
    assert dialogs == []
    context.close()


def test_short_definition_is_escaped_in_the_term_list_the_tooltip_reads(hostile_site):
    project, _ = hostile_site
    html = (project / "site/reports/jinan-tianqiao-2024/s0/index.html").read_text(encoding="utf-8")
    assert re.search(r'<dt id="t-zhao-shang-yin-zi">.*?</dt><dd>(&#34;|&quot;)&gt;&lt;script&gt;', html)


# ---------------------------------------------------------------- the plain-Markdown path

def _annotation_texts() -> list[str]:
    import yaml
    texts = []
    for path in sorted((ROOT / "annotations").rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        texts += [data[k] for k in ("explanation", "body") if isinstance(data.get(k), str)]
    return texts


def test_plain_markdown_is_what_python_markdown_makes_of_it_or_declines():
    """html.plain_markdown converts the commonest annotations (paragraphs, bold, links) itself; on
    every annotation and thousands of variants with Markdown's characters put in at random, it gives
    exactly what Python-Markdown gives, or declines."""
    import random
    from report_reader import annotation_markdown as h
    texts = _annotation_texts() + [
        "“关键环节”是从报告文字中抽取的**合成词条**，只用于性能测试。\n第二段：见[政府工作报告](https://www.gov.cn/)。\n"]
    taken = [t for t in texts if h.plain_markdown(t) is not None]
    assert len(taken) > len(texts) / 2  # the path is worth having: most real annotations take it
    pieces = ["*", "**", "_", "[", "]", "(", ")", "[链接](https://example.org/a)", "`", "\\", "<", ">", "&", "#", "!",
              "|", "\n", "\n\n", "  \n", "    ", "1. ", "- ", "> ", "---", "===", "\t", " ", "**粗体**", "&amp;", "<b>",
              # what Markdown reads as a block only at the start of one
              "\n\n- ", "\n\n* ", "\n\n1. ", "\n\n> ", "\n\n    ", "\n---\n", "\n===\n", "\n\n# ", "\n\n|a|b|\n|-|-|\n"]
    rng = random.Random(7)
    checked = declined = 0
    for _ in range(4000):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 3)):
            at = rng.randint(0, len(text))
            text = text[:at] + rng.choice(pieces) + text[at:]
        fast = h.plain_markdown(text)
        if fast is None:
            declined += 1
            continue
        assert fast == h._MARKDOWN.reset().convert(text), text
        checked += 1
    for text in texts:
        fast = h.plain_markdown(text)
        assert fast is None or fast == h._MARKDOWN.reset().convert(text), text
    assert checked > 500 and declined > 500
