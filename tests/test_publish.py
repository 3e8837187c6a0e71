"""Publishing is all or nothing: the generated tree is swapped in whole, a build killed at any moment
leaves docs/reports/ wholly old or wholly new, and two builds never write at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import copy_project, run_build
from report_reader.write import BuildLock, Publication, exchange


def tree(project: Path) -> dict[str, bytes]:
    """Everything the build publishes, by path: the generated folder and the home page."""
    docs = project / "docs"
    found = {p.relative_to(docs).as_posix(): p.read_bytes() for p in (docs / "reports").rglob("*") if p.is_file()}
    found["index.md"] = (docs / "index.md").read_bytes()
    return found


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in (project / "docs").iterdir() if p.name.startswith((".reports.", ".tmp-")))


@pytest.fixture
def old_and_new(tmp_path):
    """A project built once (the old site), then changed so that the next build makes another site;
    the new site as a clean build of the changed project makes it."""
    project = copy_project(tmp_path / "p")
    assert run_build(project, "--quiet").returncode == 0
    old = tree(project)
    sidecar = project / "seeds" / "jinan-tianqiao-2024.yml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8") if sidecar.exists() else "", encoding="utf-8")
    with sidecar.open("a", encoding="utf-8") as fh:
        fh.write("\nsource_name: 示例转载站\nsource_url: https://example.org/report\n")
    reference = copy_project(tmp_path / "ref")
    (reference / "seeds" / sidecar.name).write_bytes(sidecar.read_bytes())
    assert run_build(reference, "--quiet").returncode == 0
    new = tree(reference)
    assert old != new
    return project, old, new


def _killed_build(project: Path, when: str) -> subprocess.CompletedProcess:
    """The build in a child process that kills itself with SIGKILL just before or just after the
    directory exchange: the two moments around the swap."""
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(project)!r})
        from report_reader import write
        real = write.exchange
        def exchange(a, b):
            if {when!r} == "after":
                real(a, b)
            os.kill(os.getpid(), signal.SIGKILL)
        write.exchange = exchange
        sys.argv = ["build_docs.py", "--root", {str(project)!r}, "--quiet"]
        import runpy
        runpy.run_path({str(project / "build_docs.py")!r}, run_name="__main__")
    """)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=project)


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_build_killed_at_the_swap_leaves_the_old_or_the_new_site_whole(old_and_new, when):
    project, old, new = old_and_new
    killed = _killed_build(project, when)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert tree(project) == (old if when == "before" else new)
    # The next build clears what the killed one left and publishes the new site.
    again = run_build(project, "--quiet")
    assert again.returncode == 0, again.stderr
    assert tree(project) == new
    assert leftovers(project) == []


def test_a_build_killed_at_any_moment_leaves_the_old_or_the_new_site_whole(old_and_new):
    project, old, new = old_and_new
    for delay in (0.05, 0.15, 0.3, 0.5, 0.8, 1.2):
        child = subprocess.Popen([sys.executable, str(project / "build_docs.py"), "--root", str(project), "--quiet"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=project)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        now = tree(project)
        assert now in (old, new), f"killed after {delay} s: a mix of the old and the new site"
        if now == new:  # start each try from the old site again
            break
    assert run_build(project, "--quiet").returncode == 0
    assert tree(project) == new and leftovers(project) == []


def test_a_second_build_stops_while_one_is_running_and_writes_nothing(old_and_new):
    project, old, _new = old_and_new
    with BuildLock(project / "docs"):
        second = run_build(project, "--quiet")
    assert second.returncode == 1
    assert f"another build is running (pid {os.getpid()})" in second.stderr
    assert "Traceback" not in second.stderr
    assert tree(project) == old


def test_two_builds_at_once_end_with_one_whole_site_and_no_traceback(old_and_new):
    project, _old, new = old_and_new
    command = [sys.executable, str(project / "build_docs.py"), "--root", str(project), "--quiet"]
    children = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=project)
                for _ in range(2)]
    # communicate, not wait: a build that prints more than a pipe holds would block on it forever
    results = []
    for child in children:
        _, err = child.communicate()
        results.append((child.returncode, err))
    assert any(code == 0 for code, _ in results), results
    for code, err in results:
        assert "Traceback" not in err
        assert code == 0 or "another build is running" in err, err
    assert tree(project) == new and leftovers(project) == []


def test_a_check_takes_no_lock(old_and_new):
    project, _old, _new = old_and_new
    with BuildLock(project / "docs"):
        check = run_build(project, "--check", "--quiet")
    assert check.returncode == 0, check.stderr


def test_unchanged_pages_keep_their_files_and_a_removed_page_goes(tmp_path):
    project = copy_project(tmp_path / "p")
    assert run_build(project, "--quiet").returncode == 0
    reports = project / "docs" / "reports"
    inodes = {p: p.stat().st_ino for p in reports.rglob("*") if p.is_file()}
    stray = reports / "jinan-tianqiao-2024" / "s9" / "index.md"
    stray.parent.mkdir()
    stray.write_text("<!-- Generated by build_docs.py -->\n", encoding="utf-8")
    again = run_build(project)
    assert again.returncode == 0, again.stderr
    assert "1 removed" in again.stdout
    assert not stray.exists()
    assert {p: p.stat().st_ino for p in reports.rglob("*") if p.is_file()} == inodes


def test_exchange_swaps_two_folders(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("from a")
    (b / "y").write_text("from b")
    exchange(str(a), str(b))
    assert [p.name for p in a.iterdir()] == ["y"]
    assert [p.name for p in b.iterdir()] == ["x"]


def test_docs_that_cannot_be_written_is_an_error_not_a_traceback(tmp_path):
    project = copy_project(tmp_path / "p")
    reports = project / "docs" / "reports"
    # A file where the generated folder goes: it cannot be replaced, whoever runs the test (root too).
    reports.write_text("in the way", encoding="utf-8")
    result = run_build(project, "--quiet")
    assert result.returncode == 1
    assert "error: cannot write" in result.stderr and "Traceback" not in result.stderr
    assert reports.read_text(encoding="utf-8") == "in the way"
    assert not (project / "docs" / "index.md").exists()
    assert leftovers(project) == []


def _publish(docs: Path, pages: dict[str, bytes], spare: bool) -> None:
    out = Publication(docs, "reports", spare=spare)
    for rel, data in pages.items():
        out.put(rel, data)
    out.commit()


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_build_from_the_spare_tree_publishes_exactly_its_pages_and_never_writes_into_a_live_file(tmp_path):
    """The preview's builds start from the tree swapped out last time: whatever that tree holds
    (stale pages, a file where a folder goes, a folder where a file goes, a link out of the
    repository), the live tree ends up as the pages put, and a page of the live tree that a later
    build changes is replaced, never written into (the tree swapped out shares its files)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.md").write_text("not ours")
    first = {"reports/a/index.md": b"a1", "reports/b/s1/index.md": b"b1", "reports/c": b"c is a file"}
    _publish(docs, first, spare=True)
    assert _tree(docs / "reports") == {k[8:]: v for k, v in first.items()}
    live_a = docs / "reports" / "a" / "index.md"
    held = live_a.read_bytes()
    second = {"reports/a/index.md": b"a2", "reports/b/s1/index.md": b"b1", "reports/c/index.md": b"c is a folder"}
    _publish(docs, second, spare=True)
    assert held == b"a1"
    spare = docs / ".reports.spare"
    assert _tree(spare) == {k[8:]: v for k, v in first.items()}  # the tree swapped out, unchanged
    # Debris in the spare: a stale page, a folder where a page goes, a link to a folder outside.
    (spare / "stale").mkdir()
    (spare / "stale" / "index.md").write_bytes(b"stale")
    (spare / "a" / "index.md").unlink()
    (spare / "a" / "index.md").mkdir()
    (spare / "link").symlink_to(outside, target_is_directory=True)
    third = {"reports/a/index.md": b"a3", "reports/b/s1/index.md": b"b1", "reports/c/index.md": b"c is a folder",
             "reports/d/index.md": b"d"}
    _publish(docs, third, spare=True)
    assert _tree(docs / "reports") == {k[8:]: v for k, v in third.items()}
    assert not (docs / "reports" / "link").exists() and not (docs / "reports" / "link").is_symlink()
    assert (outside / "keep.md").read_text() == "not ours"
    assert _tree(spare) == {k[8:]: v for k, v in second.items()}
    # A build without a spare (build_docs.py) leaves none behind.
    _publish(docs, third, spare=False)
    assert not spare.exists()
    assert _tree(docs / "reports") == {k[8:]: v for k, v in third.items()}
