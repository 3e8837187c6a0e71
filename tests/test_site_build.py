"""The real build: build_docs.py then `mkdocs build --strict`, on a copy of the project."""

import re
import shutil
from pathlib import Path

from conftest import broken_links, copy_project, indexed_pages, run_build

REPORT = "reports/jinan-tianqiao-2024"


def test_every_section_has_a_page(built_project):
    site = built_project / "site" / REPORT
    assert (site / "s0" / "index.html").exists()
    assert (site / "s3" / "index.html").exists()
    assert not (site / "s1").exists()  # the seed has no (一) or (二): no invented sections


def test_raw_text_is_published_byte_for_byte(built_project):
    assert (built_project / "site" / REPORT / "raw.txt").read_bytes() == (built_project / "seeds" / "jinan-tianqiao-2024.txt").read_bytes()


def test_no_request_to_another_host_in_any_page(built_project):
    """No Google Fonts, no CDN: every src/href that loads something is relative or local."""
    loaders = re.compile(r'<(?:script|link|img|iframe)\b[^>]*?(?:src|href)="(https?:)?//', re.I)
    for html in (built_project / "site").rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text, html
        for m in re.finditer(r'<(?:script|img|iframe)\b[^>]*\bsrc="([^"]+)"|<link\b[^>]*\brel="(?:stylesheet|preload|preconnect|icon)"[^>]*\bhref="([^"]+)"', text):
            url = m.group(1) or m.group(2)
            assert not re.match(r"(https?:)?//", url), f"{html}: {url}"


def test_internal_links_resolve(built_project):
    """Links written as raw HTML are not checked by mkdocs --strict: check every one here."""
    broken = broken_links(built_project / "site")
    assert not broken, "\n".join(broken[:20])


def test_generation_is_deterministic(tmp_path):
    a = copy_project(tmp_path / "a")
    b = copy_project(tmp_path / "b")
    assert run_build(a).returncode == 0 and run_build(b).returncode == 0
    files_a = sorted(p.relative_to(a) for p in (a / "docs").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in (b / "docs").rglob("*") if p.is_file())
    assert files_a == files_b
    for rel in files_a:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_second_run_rewrites_nothing(tmp_path):
    project = copy_project(tmp_path / "p")
    assert run_build(project).returncode == 0
    before = {p: p.stat().st_mtime_ns for p in (project / "docs").rglob("*") if p.is_file()}
    second = run_build(project, "--quiet")
    assert second.returncode == 0
    assert "— nothing to do:" in second.stdout  # the cache's manifest: nothing rendered
    # Without the manifest, everything is rendered again, and every page is found unchanged.
    shutil.rmtree(project / ".cache")
    third = run_build(project, "--quiet")
    assert third.returncode == 0
    assert "docs/: 0 written" in third.stdout
    after = {p: p.stat().st_mtime_ns for p in (project / "docs").rglob("*") if p.is_file()}
    assert before == after


def test_search_index_holds_the_report_not_the_furniture_or_tools(built_project):
    pages = indexed_pages(built_project / "site")
    assert "/reports/jinan-tianqiao-2024/s0/" in pages and "/reports/glossary/" in pages
    assert not [u for u in pages if re.search(r"/(print|figures|terms)/|^/$|/contributing/", u)], sorted(pages)
    text = "".join(pages.values())
    assert "招商引资加力提效" in text
    for furniture in ["导航菜单", "本文仅代表作者观点", "验证码", "加注", "本节术语", "出现于", "编辑此条目", "¶"]:
        assert furniture not in text, furniture
    # a section's term list is not indexed with it: 前清后增's short definition is in s3's list only
    section = pages["/reports/jinan-tianqiao-2024/s3/"]
    assert "拆违控违成效明显" in section and "chāi wéi" not in section
