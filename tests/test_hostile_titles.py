"""Strings from a seed or its sidecar reach page titles, navigation, the search index and the pages
themselves; none may run in a reader's browser. A seed heading, a sidecar `title:` and sidecar
`region:` items carry markup; the site is built with `mkdocs build --strict` and opened in Chromium
with a dialog handler and a request listener: nothing runs, nothing leaves the site, and the reader
sees the attacker's text literally."""

import pytest

from conftest import build_site, copy_project, run_build, run_mkdocs, search_results, serve_site

HEADING = "(三)<img src=x onerror=alert(1)>夯实“五项保障”"
TITLE = '天桥区2024年政府工作报告</title><script>alert("title")</script>'
SIDECAR = f"""title: '{TITLE}'
date: 2024-01-16
region: ['山东省<img src=x onerror=alert(2)>', '济南市', '天桥区<img src=x onerror=alert(3)>']
"""
REPORT = "reports/hostile-2024/"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("hostile") / "p")
    text = (project / "seeds/jinan-tianqiao-2024.txt").read_text(encoding="utf-8")
    assert "(三)夯实“五项保障”" in text
    (project / "seeds/hostile-2024.txt").write_text(text.replace("(三)夯实“五项保障”", HEADING, 1), encoding="utf-8")
    (project / "seeds/hostile-2024.yml").write_text(SIDECAR, encoding="utf-8")
    gen = run_build(project, "--quiet")
    assert gen.returncode == 0, gen.stderr
    build_site(project)  # with the search index: results show titles too
    with serve_site(project / "site") as url:
        yield project, url


@pytest.fixture
def watched(browser, hostile_site):
    """A page whose dialogs and requests are recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs, page.requests_seen = [], []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: page.requests_seen.append(r.url))
    yield page
    context.close()


def _section_with_heading(project) -> str:
    for md in sorted((project / "docs" / REPORT).glob("s*/index.md")):
        if "onerror=alert(1)" in md.read_text(encoding="utf-8").split("\n---\n", 1)[0]:  # in its title
            return md.parent.name
    raise AssertionError("the hostile heading is on no section page")


@pytest.mark.parametrize("where", [REPORT, "section", REPORT + "print/", REPORT + "glossary/"])
def test_nothing_runs_and_nothing_leaves_the_site(hostile_site, watched, where):
    project, url = hostile_site
    path = f"{REPORT}{_section_with_heading(project)}/" if where == "section" else where
    watched.goto(url + path)
    watched.wait_for_load_state("networkidle")
    for link in watched.locator("nav a, article a").all()[:80]:
        if link.is_visible():
            link.hover()
    watched.wait_for_timeout(200)
    assert watched.dialogs == []
    foreign = [u for u in watched.requests_seen if not u.startswith(url) and not u.startswith("data:")]
    assert foreign == []
    assert watched.evaluate("document.querySelectorAll('img[onerror]').length") == 0
    assert watched.evaluate("[...document.querySelectorAll('script')].some(s => /alert/.test(s.text))") is False


def test_titles_show_the_text_literally(hostile_site, watched):
    project, url = hostile_site
    watched.goto(url + f"{REPORT}{_section_with_heading(project)}/")
    assert "<img src=x onerror=alert(1)>" in watched.title()
    header = watched.locator(".md-header__topic").last.inner_text()
    assert "<img src=x onerror=alert(1)>" in header
    assert "onerror=alert(1)>" in watched.locator("nav.md-nav--primary").inner_text()
    watched.goto(url + REPORT)
    assert "</title><script>" in watched.locator("article h1").inner_text()
    assert "</title><script>" in watched.title()


def test_search_results_show_titles_literally(hostile_site, watched):
    project, url = hostile_site
    hits = search_results(watched, url + REPORT, "夯实")
    titles = [hit["title"] + hit["report"] + hit["part"] for hit in hits]
    assert any("<img src=x onerror=alert(1)>" in t for t in titles), titles
    assert any("</title><script>" in hit["report"] for hit in hits), hits
    assert watched.evaluate("document.querySelectorAll('#rr-search img, #rr-search script').length") == 0
    assert watched.dialogs == []
    foreign = [u for u in watched.requests_seen if not u.startswith(url) and not u.startswith("data:")]
    assert foreign == []


def test_front_matter_and_navigation_carry_escaped_titles(hostile_site):
    project, _ = hostile_site
    nav = (project / "docs/reports/.nav.yml").read_text(encoding="utf-8")
    assert "<img" not in nav and "&lt;img src=x onerror=alert(2)&gt;" in nav
    for md in (project / "docs" / REPORT).glob("**/*.md"):
        head = md.read_text(encoding="utf-8").split("\n---\n", 1)[0]
        assert "<script" not in head and "<img" not in head, md.name


def test_a_seed_file_name_does_not_run_on_the_home_page(tmp_path, browser):
    """The home page links to every report by its id, the seed's file name. A name that cannot be
    an id may be refused (an error naming the file); one that is accepted must be escaped."""
    project = copy_project(tmp_path / "p")
    name = 'x"><img src=x onerror=alert(4)>.txt'
    (project / "seeds" / name).write_text((project / "seeds/jinan-tianqiao-2024.txt").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    gen = run_build(project, "--quiet")
    if gen.returncode != 0:
        assert name in gen.stderr and "Traceback" not in gen.stderr
        return
    built = run_mkdocs(project)
    assert built.returncode == 0, built.stderr + built.stdout
    with serve_site(project / "site") as url:
        _assert_nothing_runs(browser, url)


def _assert_nothing_runs(browser, url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    dialogs, requests = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert dialogs == []
        assert page.evaluate("document.querySelectorAll('img[onerror]').length") == 0
        assert [u for u in requests if not u.startswith(url) and not u.startswith("data:")] == []
    finally:
        context.close()
