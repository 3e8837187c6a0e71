"""Golden test: the seed with a fixed set of annotations (tests/golden/annotations, not the live
ones, so a contributor's new entry does not break it) gives exactly the reviewed Markdown.
After a deliberate change, review the diff and refresh: UPDATE_GOLDEN=1 pytest tests/test_golden.py"""

import os
import shutil
from pathlib import Path

import pytest

from conftest import copy_project, run_build

HERE = Path(__file__).resolve().parent / "golden"
# The reviewed file (tests/golden/expected/<name>) and the page it snapshots, below the report's folder.
PAGES = {"index.md": "index.md", "s0.md": "s0/index.md", "s3.md": "s3/index.md", "glossary.md": "glossary/index.md"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("golden") / "p")
    shutil.rmtree(project / "annotations")
    shutil.copytree(HERE / "annotations", project / "annotations")
    result = run_build(project, "--quiet")
    assert result.returncode == 0, result.stderr
    return project / "docs" / "reports" / "jinan-tianqiao-2024"


@pytest.mark.parametrize("name", PAGES)
def test_generated_markdown_matches_the_reviewed_snapshot(generated, name):
    actual = (generated / PAGES[name]).read_text(encoding="utf-8")
    expected_file = HERE / "expected" / name
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8")
