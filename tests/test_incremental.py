"""The preview's incremental regeneration (report_reader/rendered.py): after each kind of edit, docs/
as regenerated with the pages of earlier builds reused holds the same bytes as a fresh build of the
same inputs, and an edit renders again only the reports it touches."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SHARED, copy_project
from report_reader.pipeline import build
from report_reader.rendered import RenderedReports

TERM = "annotations/terms/chai-wei-kong-wei.yml"  # used by the Jinan report only
SEED = "seeds/jinan-tianqiao-2024.txt"
NOTE = "annotations/notes/jinan-tianqiao-2024/basic-farmland-non-arable.yml"


def _written(docs: Path) -> dict[str, bytes]:
    files = {p.relative_to(docs).as_posix(): p.read_bytes() for p in (docs / "reports").rglob("*") if p.is_file()}
    files["index.md"] = (docs / "index.md").read_bytes()
    return files


def _fresh(project: Path) -> dict[str, bytes]:
    """What a clean build of the project's inputs gives (in memory, with no earlier pages)."""
    result = build(project, 1)
    assert not result.errors, result.errors
    return result.outputs


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("incremental") / "p")
    for seed in sorted((SHARED / "corpus").glob("*.txt")):
        shutil.copy(seed, project / "seeds" / seed.name)
    return project


def _edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _short(project: Path) -> str:
    return next(line for line in (project / TERM).read_text(encoding="utf-8").splitlines() if line.startswith("short:"))


def test_each_kind_of_edit_regenerates_the_bytes_of_a_fresh_build(project):
    docs = project / "docs"
    memory = RenderedReports()
    reports = len(list((project / "seeds").glob("*.txt")))

    def regenerate() -> None:
        result = build(project, 1, docs=docs, memory=memory)
        assert not result.errors, result.errors
        assert _written(docs) == _fresh(project)

    regenerate()
    assert (memory.rendered, memory.reused, memory.analysed) == (reports, 0, reports)
    regenerate()  # nothing changed: nothing analysed or rendered
    assert (memory.rendered, memory.reused, memory.analysed) == (0, reports, 0)

    _edit(project, TERM, _short(project), "short: 增量测试：拆除违法建设并防止新增")
    regenerate()  # a term's definition: the report using it is rendered, no report matched again
    assert (memory.rendered, memory.reused, memory.analysed) == (1, reports - 1, 0)

    _edit(project, SEED, "积蓄强区建设新势能", "积蓄强区建设新动能")
    regenerate()  # a paragraph of a seed: that report
    assert (memory.rendered, memory.reused, memory.analysed) == (1, reports - 1, 1)

    (project / "seeds" / "shaanxi-2026.yml").write_text("source_name: 增量测试来源\n", encoding="utf-8")
    regenerate()  # a sidecar: its report
    assert (memory.rendered, memory.reused, memory.analysed) == (1, reports - 1, 1)

    _edit(project, NOTE, "永久基本农田是依法划定", "永久基本农田是依法划定（增量测试）")
    regenerate()  # a note: its report, anchored again
    assert (memory.rendered, memory.reused, memory.analysed) == (1, reports - 1, 1)

    term = (project / TERM).read_text(encoding="utf-8")
    (project / TERM).write_text(term.replace(_short(project), "short: [unclosed"), encoding="utf-8")
    broken = build(project, 1, docs=docs, memory=memory)
    assert broken.errors  # nothing written: docs/ still the last good build
    (project / TERM).write_text(term, encoding="utf-8")
    regenerate()
    assert (memory.rendered, memory.analysed) == (0, 0)

    # A term's words place it in every glossary and are matched in every report: every report is
    # matched and rendered again.
    _edit(project, TERM, "term: ", "term: 拆违控违增量")
    regenerate()
    assert (memory.reused, memory.analysed) == (0, reports)

    _edit(project, "mkdocs.yml", "repo_url: https://github.com/report-reader/report-reader",
          "repo_url: https://github.com/report-reader/fork")
    regenerate()  # the edit links of every page
    assert memory.reused == 0

    (project / "seeds" / "qinghai-2026.txt").unlink()
    regenerate()  # a report gone: the navigation and names of the others change, never their words
    (project / "seeds" / "yunnan-2026.txt").rename(project / "seeds" / "yunnan-2026-copy.txt")
    regenerate()
