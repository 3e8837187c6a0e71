"""What a reader sees, in Debian's headless Chromium against the built site."""

import re

import pytest
import yaml

from conftest import ROOT, search_results

REPORT = "reports/jinan-tianqiao-2024/"


def after_style(page, selector, prop):
    return page.eval_on_selector(selector, f"el => getComputedStyle(el, '::after').getPropertyValue('{prop}')")


def test_section_pages_load_with_their_titles(page, site_url):
    page.goto(site_url + REPORT + "s3/")
    assert "夯实“五项保障”" in page.inner_text("h1")
    page.goto(site_url + REPORT + "s0/")
    assert page.inner_text("h1").startswith("标题前的内容")
    assert page.locator("h2.rr-lead").count() == 4


def test_permalink_lands_on_its_paragraph(page, site_url):
    page.goto(site_url + REPORT + "s3/#p1")
    top = page.eval_on_selector("#p1", "el => el.getBoundingClientRect().top")
    assert 0 <= top < 200, top
    # the permalink shows on hover and on keyboard focus, and points at the paragraph
    link = page.locator("#p1 a.rr-pl")
    assert link.get_attribute("href") == "#p1"
    assert link.evaluate("el => getComputedStyle(el).opacity") == "0"
    page.hover("#p1")
    assert link.evaluate("el => getComputedStyle(el).opacity") == "1"
    page.mouse.move(0, 0)
    link.focus()
    assert link.evaluate("el => getComputedStyle(el).opacity") == "1"


def test_lead_heading_is_linkable_and_in_the_toc(page, site_url):
    page.goto(site_url + REPORT + "s0/#p2")
    assert page.inner_text("#p2").startswith("招商引资加力提效")
    # the page's contents once (toc.integrate: in the navigation, beside the text on a wide screen)
    assert page.locator("nav.md-nav--secondary").count() == 1
    toc = page.locator("nav.md-nav--secondary")
    assert toc.is_visible()
    assert "项目建设成果丰硕。" in toc.inner_text() and "园区发展全面提速。" in toc.inner_text()


def test_term_tooltip_on_hover(page, site_url):
    page.goto(site_url + REPORT + "s3/")
    term = 'a.rr-term[href$="#wu-xiang-bao-zhang"]'
    assert after_style(page, term, "display") == "none"
    page.hover(term)
    assert after_style(page, term, "display") == "block"
    tip = after_style(page, term, "content")
    short = yaml.safe_load((ROOT / "annotations/terms/wu-xiang-bao-zhang.yml").read_text(encoding="utf-8"))["short"]
    assert "五项保障" in tip and short in tip
    assert page.get_attribute(term, "href").endswith("glossary/#wu-xiang-bao-zhang")


def test_term_tooltip_on_keyboard_focus(page, site_url):
    page.goto(site_url + REPORT + "s3/")
    page.focus("#p1")  # start inside the text, then Tab as a keyboard user would
    page.locator("#p1 a.rr-pl").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a.rr-term')"):
            break
    assert page.evaluate("document.activeElement.getAttribute('href')").endswith("#chai-wei-kong-wei")
    assert page.evaluate("getComputedStyle(document.activeElement, '::after').display") == "block"
    # the definition is also announced: aria-describedby points at the section's term list
    described = page.evaluate("document.getElementById(document.activeElement.getAttribute('aria-describedby')).innerText")
    assert "拆违控违" in described
    page.keyboard.press("Escape")
    assert not page.evaluate("document.activeElement.matches('a.rr-term')")


@pytest.mark.parametrize("slogan", ["四规一体", "五项保障", "项目七大推进体系", "1+2+6+N"])
def test_seed_slogans_have_tooltips(page, site_url, slogan):
    page.goto(site_url + REPORT + ("s3/" if slogan == "五项保障" else "s0/"))
    el = page.locator("a.rr-term", has_text=slogan).first
    el.hover()
    assert el.evaluate("el => getComputedStyle(el, '::after').display") == "block"
    assert el.get_attribute("data-tip").startswith(slogan.replace("+", "+"))
    el.focus()
    assert el.evaluate("el => getComputedStyle(el, '::after').display") == "block"


def test_note_mark_and_endnote(page, site_url):
    page.goto(site_url + REPORT + "s0/")
    ref = page.locator("sup.rr-noteref a").first
    assert re.fullmatch(r"\[1\]", ref.inner_text())
    ref.hover()
    assert ref.evaluate("el => getComputedStyle(el, '::after').display") == "block"
    ref.click()  # the first click shows the note where the reader is (reader.js)
    assert page.locator("#rr-pop").is_visible() and not page.url.endswith("#n1")
    ref.click()  # the second follows the link to the note in full
    assert page.url.endswith("#n1")
    assert page.locator("#n1").is_visible()


def search(page, site_url, query):
    return [hit["href"] for hit in search_results(page, site_url + REPORT, query)]


@pytest.mark.parametrize("query,section", [("招商", "s0"), ("预制菜", "s0"), ("拆违控违", "s3"), ("扫黑除恶", "s3")])
def test_chinese_search_finds_the_right_section_first(page, site_url, query, section):
    hits = search(page, site_url, query)
    assert hits and f"/{REPORT}{section}/" in hits[0], hits[:3]


def test_no_page_requests_another_host(page, site_url):
    for path in ["", REPORT, REPORT + "s0/", REPORT + "s3/", REPORT + "glossary/", "reports/terms/", "contributing/"]:
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
    foreign = [u for u in page.requests_seen if not u.startswith(site_url) and not u.startswith("data:")]
    assert foreign == []
    assert len(page.requests_seen) > 10  # the recorder did see the site's own requests


def test_dark_palette_applies(browser, site_url):
    context = browser.new_context(color_scheme="dark")
    pg = context.new_page()
    pg.goto(site_url + REPORT + "s3/")
    assert pg.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    bg = pg.evaluate("getComputedStyle(document.body).backgroundColor")
    assert sum(int(x) for x in re.findall(r"\d+", bg)[:3]) < 200, bg
    context.close()
