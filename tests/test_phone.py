"""Reading on a phone (Chromium at 390×844, touch): a term or note mark opens its definition where the
reader is, the keyboard does the same, and every kind of page passes axe-core's WCAG 2 A/AA rules in
light and dark."""

from __future__ import annotations

import pytest
import yaml

from conftest import ROOT, axe_source, axe_violations

REPORT = "reports/jinan-tianqiao-2024"
PAGE_KINDS = {"home": "", "landing": f"{REPORT}/", "section": f"{REPORT}/s3/", "report glossary": f"{REPORT}/glossary/",
              "shared glossary": "reports/glossary/", "term index": "reports/terms/", "print": f"{REPORT}/print/"}


@pytest.fixture
def phone(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    pg = context.new_page()
    pg.base = site_url
    yield pg
    context.close()


def popover(pg):
    return pg.locator("#rr-pop")


def test_tapping_a_term_opens_its_definition_in_place(phone):
    phone.goto(phone.base + f"{REPORT}/s3/")
    term = phone.locator('a.rr-term[href$="#qian-qing-hou-zeng"]').first
    url = phone.url
    term.tap()
    pop = popover(phone)
    pop.wait_for(state="visible")
    assert phone.url == url
    text = pop.inner_text()
    assert "前清后增" in text and "qián qīng hòu zēng" in text
    definition = phone.locator("#t-qian-qing-hou-zeng + dd").inner_text().strip()
    assert definition.split()[0] in text
    assert "未核实" in text  # what it rests on
    # its English name, from the term's file, in the page's term list and in the popover, marked English
    english = yaml.safe_load((ROOT / "annotations/terms/qian-qing-hou-zeng.yml").read_text(encoding="utf-8"))["english"]
    assert phone.locator('#t-qian-qing-hou-zeng [lang="en"]').inner_text() == english
    assert pop.locator('[lang="en"]').inner_text() == english
    assert term.get_attribute("aria-expanded") == "true"
    assert term.get_attribute("aria-controls") == "rr-pop"
    # A bottom sheet, wholly on the screen.
    box = pop.bounding_box()
    assert box["x"] == 0 and box["width"] == 390 and box["y"] + box["height"] <= 844 + 1
    full = pop.get_by_role("link", name="完整释义")
    assert full.get_attribute("href") == term.get_attribute("href")


def test_a_tap_leaves_no_permalink_mark_over_the_text(phone):
    """A tap leaves its paragraph hovered on a touch screen; the ¶ mark, which sits inside the column
    there, must not then cover the line's last character. Keyboard focus still shows it."""
    phone.goto(phone.base + f"{REPORT}/s3/")
    phone.locator("#p1 a.rr-term").first.tap()
    popover(phone).wait_for(state="visible")
    mark = phone.locator("#p1 > a.rr-pl")
    assert phone.locator("#p1").evaluate("p => p.matches(':hover')")
    assert mark.evaluate("a => getComputedStyle(a).opacity") == "0"
    mark.focus()
    assert mark.evaluate("a => getComputedStyle(a).opacity") == "1"


def test_tapping_outside_or_escape_closes_and_a_second_tap_goes_to_the_glossary(phone):
    phone.goto(phone.base + f"{REPORT}/s3/")
    term = phone.locator('a.rr-term[href$="#qian-qing-hou-zeng"]').first
    term.tap()
    popover(phone).wait_for(state="visible")
    phone.locator("h1").tap()
    popover(phone).wait_for(state="hidden")
    assert term.get_attribute("aria-expanded") == "false"
    term.tap()
    popover(phone).wait_for(state="visible")
    phone.keyboard.press("Escape")
    popover(phone).wait_for(state="hidden")
    term.tap()
    popover(phone).wait_for(state="visible")
    with phone.expect_navigation():
        term.tap()
    assert phone.url.endswith("glossary/#qian-qing-hou-zeng")


def test_a_note_mark_opens_the_note(phone):
    phone.goto(phone.base + f"{REPORT}/s3/")
    mark = phone.locator(".rr-noteref a").first
    note_id = mark.get_attribute("href").lstrip("#")
    note_text = phone.locator(f"[id='{note_id}']").inner_text()
    mark.tap()
    pop = popover(phone)
    pop.wait_for(state="visible")
    # The note's own words are in the popover (its first line is enough to tell it apart).
    first_line = next(line for line in note_text.splitlines() if line.strip())
    assert first_line.strip()[:12] in pop.inner_text()


def test_next_occurrence_moves_to_the_same_term_further_on(phone):
    phone.goto(phone.base + f"{REPORT}/s3/")
    repeated = phone.evaluate("""() => {
        const seen = {};
        for (const a of document.querySelectorAll('a.rr-term')) {
            const id = a.getAttribute('href'); seen[id] = (seen[id] || 0) + 1;
            if (seen[id] === 2) return id;
        }
        return null; }""")
    assert repeated, "the section has no term used twice"
    terms = phone.locator(f'a.rr-term[href="{repeated}"]')
    terms.first.tap()
    popover(phone).get_by_role("link", name="下一处").tap()
    assert terms.nth(1).get_attribute("aria-expanded") == "true"
    assert terms.first.get_attribute("aria-expanded") == "false"


def test_the_keyboard_opens_a_term_moves_focus_into_it_and_escape_returns(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    try:
        pg.goto(site_url + f"{REPORT}/s3/")
        term = pg.locator("a.rr-term").first
        term.focus()
        pg.keyboard.press("Enter")
        pop = popover(pg)
        pop.wait_for(state="visible")
        assert pg.evaluate("document.getElementById('rr-pop').contains(document.activeElement)")
        assert pg.url.endswith("/s3/")
        pg.keyboard.press("Escape")
        pop.wait_for(state="hidden")
        assert pg.evaluate("document.activeElement.classList.contains('rr-term')")
        pg.keyboard.press(" ")
        pop.wait_for(state="visible")
        # Beside the term on a desktop, not a sheet.
        assert pop.bounding_box()["width"] < 1280 / 2
    finally:
        context.close()


def test_without_javascript_a_term_is_a_link_to_its_entry(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    pg = context.new_page()
    try:
        pg.goto(site_url + f"{REPORT}/s3/")
        with pg.expect_navigation():
            pg.locator('a.rr-term[href$="#qian-qing-hou-zeng"]').first.click()
        assert pg.url.endswith("glossary/#qian-qing-hou-zeng")
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_kind_of_page_passes_axe(browser, site_url, scheme):
    source = axe_source()
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  color_scheme=scheme)
    pg = context.new_page()
    found = {}
    try:
        for kind, path in PAGE_KINDS.items():
            pg.goto(site_url + path)
            if kind == "print":  # a document of its own, outside the theme: dark as the system is
                background = pg.evaluate("getComputedStyle(document.body).backgroundColor")
                assert (background != "rgb(255, 255, 255)") == (scheme == "dark"), background
            else:
                assert pg.evaluate("document.body.getAttribute('data-md-color-scheme')") == \
                    ("slate" if scheme == "dark" else "default")
            violations = axe_violations(pg, source)
            if violations:
                found[kind] = violations
    finally:
        context.close()
    assert found == {}
