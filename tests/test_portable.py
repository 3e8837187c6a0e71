"""The published site does not depend on MkDocs itself: Zensical, Material's successor (Material
reaches end of life in May 2027), reads the same mkdocs.yml but runs no hooks or plugins and renders
Material's templates with its own engine. It must build the generated site, in strict mode, into
pages that hold the report and its annotations."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_project, run_build

ZENSICAL = Path(sys.executable).parent / "zensical"


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory) -> Path:
    if not ZENSICAL.exists():
        pytest.skip("zensical is not installed (requirements-dev.txt)")
    project = copy_project(tmp_path_factory.mktemp("zensical") / "project")
    generated = run_build(project, "--quiet")
    assert generated.returncode == 0, generated.stderr
    built = subprocess.run([str(ZENSICAL), "build", "--strict"], cwd=project, capture_output=True, text=True)
    assert built.returncode == 0, built.stdout + built.stderr
    return project


def test_zensical_builds_every_generated_page(zensical_site):
    pages = sorted(p.relative_to(zensical_site / "docs").with_suffix("")
                   for p in (zensical_site / "docs").rglob("*.md"))
    assert pages
    for page in pages:
        folder = page.parent if page.name == "index" else page
        assert (zensical_site / "site" / folder / "index.html").is_file(), page


def test_zensical_pages_hold_the_report_words_and_their_links_resolve(zensical_site):
    """Every section page holds the words of its paragraphs as generated, and every term mark leads to an entry
    that is there: links in raw HTML mean the same to Zensical as to MkDocs."""
    docs, site = zensical_site / "docs", zensical_site / "site"
    sections = sorted(docs.glob("reports/*/s*/index.md"))
    assert sections
    marks = 0
    for source in sections:
        folder = source.parent.relative_to(docs)
        html = (site / folder / "index.html").read_text(encoding="utf-8")
        text = _text(html)
        for paragraph in re.findall(r'<p class="rr-p[^"]*"[^>]*>.*?</p>', source.read_text(encoding="utf-8"), re.S):
            assert _text(paragraph) in text, (folder, paragraph[:80])
        for href, fragment in set(re.findall(r'<a class="rr-term" href="([^"#]+)#([^"]+)"', html)):
            entry = (site / folder / href / "index.html").resolve()
            assert entry.is_file() and f'id="{fragment}"' in entry.read_text(encoding="utf-8"), (folder, href, fragment)
            marks += 1
        assert "assets/reader.js" in html  # the popovers and the add-note addresses
    assert marks


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)
