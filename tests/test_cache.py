"""The build's manifest (.cache/manifest.json): a build whose inputs and pages are as the last good
build left them does nothing and says so, printing the same problems and summary; any edited input,
any page edited, removed or added by hand, and any manifest that is not sound makes a full build,
whose pages are byte for byte those of a build without a cache."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_build
from report_reader import cache

NOTHING_TO_DO = "— nothing to do:"
SEED = "seeds/jinan-tianqiao-2024.txt"


def pages(project: Path) -> dict[str, bytes]:
    """Everything the build publishes: the generated folder and the home page."""
    docs = project / "docs"
    found = {p.relative_to(docs).as_posix(): p.read_bytes() for p in (docs / "reports").rglob("*") if p.is_file()}
    if (docs / "index.md").exists():
        found["index.md"] = (docs / "index.md").read_bytes()
    return found


def stats(project: Path) -> dict[str, tuple[int, int]]:
    """Inode and modification time of every published file: what a rewrite changes."""
    docs = project / "docs"
    files = [p for p in (docs / "reports").rglob("*") if p.is_file()] + [docs / "index.md"]
    return {p.relative_to(docs).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in files}


def last_line(run: subprocess.CompletedProcess) -> str:
    return run.stdout.splitlines()[-1]


def built(project: Path) -> subprocess.CompletedProcess:
    run = run_build(project)
    assert run.returncode == 0, run.stderr
    assert NOTHING_TO_DO not in last_line(run)
    return run


@pytest.fixture
def project(tmp_path) -> Path:
    """The project built once, with a seed that draws warnings (they must be reported every time)."""
    project = copy_project(tmp_path / "p")
    shutil.copy(ROOT / "tests" / "fixtures" / "unusual-structure.txt", project / "seeds")
    built(project)
    return project


@pytest.fixture
def reference(project, tmp_path) -> dict[str, bytes]:
    """The pages a build of the same inputs makes with no cache and no earlier docs/."""
    other = copy_project(tmp_path / "ref")
    shutil.copy(project / "seeds" / "unusual-structure.txt", other / "seeds")
    built(other)
    return pages(other)


def test_nothing_changed_nothing_rendered_and_the_same_report(project):
    before = stats(project)
    first = run_build(project)
    second = run_build(project)
    for run in (first, second):
        assert run.returncode == 0, run.stderr
        assert NOTHING_TO_DO in last_line(run), run.stdout
        assert "warning: no date found" in run.stderr
    assert stats(project) == before  # no page rewritten, none linked anew
    # What a full build prints (its warnings, tally, one line per report) is printed again.
    shutil.rmtree(project / cache.FOLDER)
    full = built(project)
    assert second.stderr == full.stderr
    assert second.stdout.splitlines()[:-1] == full.stdout.splitlines()[:-1]


def test_nothing_to_do_is_decided_without_the_pipeline(project):
    """The no-op check loads none of the heavy modules (segmentation, pinyin, templates, Markdown)."""
    script = (f"import sys; sys.path.insert(0, {str(project)!r}); import build_docs; "
              f"rc = build_docs.main(['--root', {str(project)!r}, '--quiet']); "
              "print(rc, sorted(m for m in ('jieba', 'pypinyin', 'jinja2', 'markdown', 'report_reader.pipeline') "
              "if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=project)
    assert run.returncode == 0, run.stderr
    assert NOTHING_TO_DO in run.stdout
    assert run.stdout.splitlines()[-1] == "0 []"


def test_check_after_a_build_reports_what_a_full_check_does(project, tmp_path):
    cold = copy_project(tmp_path / "cold")
    shutil.copy(project / "seeds" / "unusual-structure.txt", cold / "seeds")
    full, cached = run_build(cold, "--check"), run_build(project, "--check")
    assert cached.returncode == full.returncode == 0
    assert (cached.stdout, cached.stderr) == (full.stdout, full.stderr)
    # An input made wrong since is found: the check is not taken from the manifest.
    term = project / "annotations" / "terms" / "cheng-guan.yml"
    term.write_text(term.read_text(encoding="utf-8").replace("scope: all", "scope: [nowhere"), encoding="utf-8")
    broken = run_build(project, "--check")
    assert broken.returncode == 1
    assert "annotations/terms/cheng-guan.yml" in broken.stderr


def _edit_term(project: Path) -> None:
    term = project / "annotations" / "terms" / "cheng-guan.yml"
    term.write_text(term.read_text(encoding="utf-8").replace("城市管理综合行政执法部门", "城市管理行政执法部门", 1),
                    encoding="utf-8")


def _edit_seed(project: Path) -> None:
    shutil.copy(ROOT / "tests" / "fixtures" / "wrapped-dateline.txt", project / "seeds" / "unusual-structure.txt")


def _edit_settings(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("repo_url:", "repo_url: https://example.org/x\n#", 1),
                      encoding="utf-8")


def _edit_code(project: Path) -> None:
    with (project / "report_reader" / "layout" / "urls.py").open("a", encoding="utf-8") as fh:
        fh.write("# a comment changes no page, yet the code is not the code the manifest saw\n")


def _add_note_file(project: Path) -> None:
    folder = project / "annotations" / "notes" / "jinan-tianqiao-2024"
    shutil.copy(sorted(folder.glob("*.yml"))[0], folder / "zz-copy.yml")


@pytest.mark.parametrize("edit", [_edit_term, _edit_seed, _edit_settings, _edit_code, _add_note_file])
def test_an_edited_input_makes_a_full_build(project, tmp_path, edit):
    edit(project)
    run = run_build(project)
    assert NOTHING_TO_DO not in last_line(run), run.stdout
    fresh = copy_project(tmp_path / "fresh")
    for name in ("seeds", "annotations", "report_reader"):
        shutil.rmtree(fresh / name)
        shutil.copytree(project / name, fresh / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(project / "mkdocs.yml", fresh / "mkdocs.yml")
    again = run_build(fresh)
    assert (again.returncode, again.stderr) == (run.returncode, run.stderr)
    if run.returncode == 0:
        assert pages(project) == pages(fresh)
        assert NOTHING_TO_DO in last_line(run_build(project))


def _edit_page(project: Path) -> None:
    with (project / "docs" / "reports" / "jinan-tianqiao-2024" / "index.md").open("a", encoding="utf-8") as fh:
        fh.write("hand-written\n")


def _edit_page_keeping_size_and_time(project: Path) -> None:
    """The same size and modification time: only the inode tells (an editor that writes a new file)."""
    page = project / "docs" / "reports" / "jinan-tianqiao-2024" / "print" / "index.html"
    data, info = page.read_bytes(), page.stat()
    page.unlink()
    page.write_bytes(data.replace("。".encode(), "，".encode(), 1))
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))


def _remove_page(project: Path) -> None:
    (project / "docs" / "reports" / "jinan-tianqiao-2024" / "print" / "index.html").unlink()


def _add_file(project: Path) -> None:
    (project / "docs" / "reports" / "jinan-tianqiao-2024" / "stray.md").write_text("# stray\n", encoding="utf-8")


def _remove_home(project: Path) -> None:
    (project / "docs" / "index.md").unlink()


@pytest.mark.parametrize("tamper", [_edit_page, _edit_page_keeping_size_and_time, _remove_page, _add_file,
                                    _remove_home])
def test_a_page_changed_by_hand_is_noticed_and_rebuilt(project, reference, tamper):
    assert pages(project) == reference
    tamper(project)
    assert pages(project) != reference
    run = run_build(project)
    assert run.returncode == 0, run.stderr
    assert NOTHING_TO_DO not in last_line(run), run.stdout
    assert pages(project) == reference


def _garbage(path: Path) -> None:
    path.write_bytes(os.urandom(3000))


def _truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _other_version(path: Path) -> None:
    data = json.loads(path.read_bytes())
    data["version"] = cache.VERSION + 1
    path.write_text(json.dumps(data), encoding="utf-8")


def _wrong_shape(path: Path) -> None:
    data = json.loads(path.read_bytes())
    data["outputs"] = list(data["outputs"])
    path.write_text(json.dumps(data), encoding="utf-8")


def _other_project(path: Path) -> None:
    """A manifest copied from another checkout: its docs folder is not this one."""
    data = json.loads(path.read_bytes())
    data["docs"] = "/elsewhere/docs"
    path.write_text(json.dumps(data), encoding="utf-8")


def _a_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


@pytest.mark.parametrize("corrupt", [_garbage, _truncated, _other_version, _wrong_shape, _other_project])
def test_a_corrupt_manifest_is_never_trusted(project, reference, corrupt):
    manifest = cache.manifest_path(project)
    assert cache.load(project) is not None
    _edit_page(project)  # a page the manifest would otherwise vouch for is wrong
    corrupt(manifest)
    run = run_build(project)
    assert run.returncode == 0, run.stderr
    assert NOTHING_TO_DO not in last_line(run), run.stdout
    assert pages(project) == reference
    assert cache.load(project) is not None  # written anew, sound
    assert NOTHING_TO_DO in last_line(run_build(project))


def _cache_a_file(project: Path) -> None:
    shutil.rmtree(project / cache.FOLDER)
    (project / cache.FOLDER).write_text("not a folder\n", encoding="utf-8")


@pytest.mark.parametrize("spoil", [lambda project: _a_folder(cache.manifest_path(project)), _cache_a_file])
def test_a_manifest_that_cannot_be_written_is_a_warning(project, reference, spoil):
    """A folder where the manifest goes, or a file where the cache's folder goes: the pages are
    written all the same, with one warning line."""
    _edit_page(project)
    spoil(project)
    run = run_build(project)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines()[-1].startswith(".cache/manifest.json: warning: cannot record this build")
    assert pages(project) == reference
    assert NOTHING_TO_DO not in last_line(run_build(project))


def test_a_term_edit_rewrites_only_the_pages_that_show_the_term(project):
    """Every page whose bytes hold the edited definition is rewritten, and no other: the rest keep
    their inode and time (the writer links unchanged pages; nothing else is touched)."""
    before = stats(project)
    term = project / "annotations" / "terms" / "cheng-guan.yml"
    old, new = "城市管理综合行政执法部门及其执法人员的通称", "城市管理综合行政执法部门及其执法队员的统称"
    text = term.read_text(encoding="utf-8")
    assert old in text
    term.write_text(text.replace(old, new), encoding="utf-8")
    run = run_build(project)
    assert run.returncode == 0, run.stderr
    after, published = stats(project), pages(project)
    showing = {path for path, data in published.items() if new.encode() in data}
    assert showing and len(showing) < len(published)
    assert not any(old.encode() in data for data in published.values())
    assert {path for path in after if after[path] != before.get(path)} == showing
    assert f"docs/: {len(showing)} written, {len(published) - len(showing)} unchanged, 0 removed" in run.stdout


def test_a_seed_edit_rewrites_only_that_reports_pages_and_site_pages_that_change(project):
    before, old_pages = stats(project), pages(project)
    seed = project / "seeds" / "unusual-structure.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\n我们要持续推进城市更新，办好民生实事。\n", encoding="utf-8")
    run = run_build(project)
    assert run.returncode == 0, run.stderr
    after, new_pages = stats(project), pages(project)
    rewritten = {path for path in after if after[path] != before.get(path)}
    changed = {path for path in new_pages if new_pages[path] != old_pages.get(path)}
    assert rewritten == changed
    assert any(path.startswith("reports/unusual-structure/") for path in changed)
    assert not any(path.startswith("reports/jinan-tianqiao-2024/") for path in changed)
