"""hooks/anchor_ids.py: the ids MkDocs checks links to anchors against, found by a pattern instead of
a second html.parser pass, are the ids MkDocs' own pass finds; and a strict build with the hook still
fails on a link to an anchor that is not there."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from mkdocs.structure.pages import _HTMLHandler

from conftest import ROOT

spec = importlib.util.spec_from_file_location("anchor_ids", ROOT / "hooks" / "anchor_ids.py")
anchor_ids = importlib.util.module_from_spec(spec)
spec.loader.exec_module(anchor_ids)


def _mkdocs_ids(text: str) -> set[str]:
    parser = _HTMLHandler()
    parser.feed(text)
    parser.close()
    return parser.present_anchor_ids


AWKWARD = [
    '<p id="p1" class="rr-p">x</p>',
    "<h3 class='t' id='single'>y</h3>",
    "<span id=bare>z</span><a name=\"old-anchor\" href=\"#x\">w</a>",
    '<div\n  data-x="1"\n  id="split-lines">',
    '<dt id="a&amp;b">&amp;</dt><a href="#p1" aria-label="id=not-an-id">q</a>',
    '<p>text id="in-text" is not a tag</p><input name="not-a-link">',
    "<A NAME=\"upper\">u</A><p ID=\"UPPER\">",
    '<a title="see id=x and name=y" href="#p1">t</a><p title=\'id="z"\' data-id="w" hidden id="last">',
    '<abbr name="not-a-link" id="abbr">ab</abbr>',
]


def test_the_pattern_finds_the_ids_html_parser_finds_in_awkward_markup():
    for text in AWKWARD:
        assert anchor_ids.anchor_ids(text) == _mkdocs_ids(text), text


def test_the_pattern_finds_the_ids_mkdocs_finds_on_every_generated_page(corpus_site):
    pages = sorted((corpus_site / "docs").rglob("*.md"))
    assert len(pages) > 30
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert anchor_ids.anchor_ids(text) == _mkdocs_ids(text), page


def test_a_strict_build_with_the_hook_still_fails_on_a_missing_anchor(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text('# Home\n\n<p id="here">raw HTML</p>\n\n[there](other.md#kept) [gone](other.md#gone)\n',
                                   encoding="utf-8")
    (docs / "other.md").write_text('# Other\n\n<dt id="kept">term</dt>\n\n[back](index.md#here)\n', encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: t\nhooks:\n  - {ROOT / 'hooks' / 'anchor_ids.py'}\n"
        "validation:\n  anchors: warn\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=tmp_path, capture_output=True,
                         text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert run.returncode != 0
    assert "'#gone'" in run.stderr or "#gone" in run.stderr, run.stderr
    assert "#kept" not in run.stderr and "#here" not in run.stderr, run.stderr
