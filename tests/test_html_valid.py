"""The Nu HTML checker (vnu.jar, tools/vnu) finds no error in our markup: one built page of each kind as
served, and the markup our scripts add (the glossary's filter, a term's popover) as the browser holds it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

VNU = ROOT / "tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
REPORT = "reports/jinan-tianqiao-2024"
PAGE_KINDS = {"home": "index.html", "landing": f"{REPORT}/index.html", "section": f"{REPORT}/s3/index.html",
              "report glossary": f"{REPORT}/glossary/index.html", "print": f"{REPORT}/print/index.html",
              "figures": f"{REPORT}/figures/index.html", "shared glossary": "reports/glossary/index.html",
              "term index": "reports/terms/index.html", "not found": "404.html"}


def material_own(message: dict) -> bool:
    """Material's base.html gives its drawer and search checkboxes autocomplete="off" (so Firefox does not
    restore them open on reload), which HTML allows on text-like inputs only. Not our markup: changing it
    means forking base.html."""
    return message["message"].startswith("Attribute “autocomplete”") and 'data-md-toggle="' in message.get("extract", "")


def nu_errors(files: list[Path]) -> list[str]:
    if not VNU.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must install tools/vnu (see .ci/run)")
        pytest.skip("tools/vnu/node_modules missing: run `npm ci --ignore-scripts --prefix tools/vnu` (.ci/run does)")
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java not found: install default-jre-headless (.ci/run does)")
    run = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
                         capture_output=True, text=True)
    messages = json.loads(run.stderr)["messages"]
    return [f"{m['url'].split('/site/')[-1]}:{m.get('lastLine', '?')}: {m['message']} — {m.get('extract', '').strip()[:120]!r}"
            for m in messages if not material_own(m)]


def test_every_kind_of_built_page_is_valid_html(built_project):
    site = built_project / "site"
    files = [site / path for path in PAGE_KINDS.values()]
    missing = [str(f) for f in files if not f.exists()]
    assert not missing, f"a kind of page is no longer built: {missing}"
    assert nu_errors(files) == []


def test_markup_made_by_our_scripts_is_valid_html(page, site_url, tmp_path):
    page.goto(site_url + f"{REPORT}/glossary/")
    page.locator(".rr-basis-filter fieldset").wait_for()
    glossary = tmp_path / "rr-dom-glossary.html"
    glossary.write_text(page.content(), encoding="utf-8")

    page.goto(site_url + f"{REPORT}/s3/")
    page.locator("a.rr-term").first.click()
    page.locator("#rr-pop").wait_for(state="visible")
    section = tmp_path / "rr-dom-section.html"
    section.write_text(page.content(), encoding="utf-8")

    assert nu_errors([glossary, section]) == []
