"""Results kept between builds (.cache/<kind>/, report_reader/stored.py): a term file read before is
not read again, and a build gives the same bytes and problems with no store, a full one, or one
whose entries are garbage, truncated, of another format or filed under another key."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SHARED, copy_project, run_build
from report_reader import annotations, pipeline, stored
from report_reader.pipeline import build


def outcome(root: Path, jobs: int = 1) -> tuple[dict[str, bytes], list[str]]:
    result = build(root, jobs)
    return result.outputs, [str(p) for p in result.problems]


def entries(root: Path, kind: str = "terms") -> list[Path]:
    return sorted((root / ".cache" / kind).rglob("*.pickle"))


@pytest.fixture
def counted(monkeypatch) -> list[Path]:
    """The term files actually read (not taken from the store), in this process."""
    read: list[Path] = []
    real = annotations._read_term

    def reading(root, path):
        read.append(path)
        return real(root, path)

    monkeypatch.setattr(annotations, "_read_term", reading)
    return read


def test_a_term_file_read_before_is_taken_from_the_store(tmp_path, counted):
    root = copy_project(tmp_path / "p")
    files = sorted((root / "annotations" / "terms").glob("*.yml"))
    cold = outcome(root)
    assert len(counted) == len(files) and len(entries(root)) == len(files)
    counted.clear()
    assert outcome(root) == cold
    assert counted == []
    # An edited file is read again, and only that one.
    edited = files[3]
    edited.write_text(edited.read_text(encoding="utf-8").replace("status: verified", "status: draft", 1)
                      + "\n", encoding="utf-8")
    outcome(root)
    assert counted == [edited]


def _garbage(path: Path) -> None:
    path.write_bytes(os.urandom(200))


def _truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:40])


def _signed(data: bytes) -> bytes:
    """An entry as this user's builds sign it (so only what is inside it is wrong)."""
    return stored._mac(stored.mac_key(), data) + data


def _other_format(path: Path) -> None:
    _, key, value = pickle.loads(path.read_bytes()[stored.MAC_SIZE:])
    path.write_bytes(_signed(pickle.dumps((stored.FORMAT + 1, key, value))))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _unknown_class(path: Path) -> None:
    """A pickle naming a class this code does not have (as one from another version might)."""
    path.write_bytes(_signed(b"\x80\x04\x95\x1f\x00\x00\x00\x00\x00\x00\x00\x8c\x13report_reader.model\x94\x8c\x04Gone\x94\x93\x94."))


CORRUPTIONS = [_garbage, _truncated, _other_format, _empty, _unknown_class]


def test_a_corrupt_store_is_never_trusted(tmp_path, counted):
    root = copy_project(tmp_path / "p")
    cold = outcome(root)
    found = entries(root)
    spoiled = found[::7]
    for i, path in enumerate(spoiled):
        CORRUPTIONS[i % len(CORRUPTIONS)](path)
    # An entry filed under another key: right format, wrong term.
    misfiled = found[1]
    misfiled.write_bytes(found[2].read_bytes())
    counted.clear()
    assert outcome(root) == cold
    assert sorted(counted) == sorted(p for p in (root / "annotations" / "terms").glob("*.yml")
                                     if _entry_of(root, p) in set(spoiled) | {misfiled})
    # Each spoiled entry was written anew: the next build reads no file.
    counted.clear()
    assert outcome(root) == cold
    assert counted == []


class _Planted:
    """What a pull request could commit under .cache/: a pickle that runs code when loaded."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return os.mkdir, (self.marker,)


def test_entries_a_pull_request_could_plant_are_never_loaded(tmp_path, counted):
    """.cache/ is git-ignored, but a pull request can still commit it. An entry is unpickled only
    with the MAC of a key kept outside the repository, and only regular files are read."""
    root = copy_project(tmp_path / "p")
    cold = outcome(root)
    found = entries(root)
    marker = tmp_path / "code-ran"
    found[0].write_bytes(bytes(stored.MAC_SIZE) + pickle.dumps((stored.FORMAT, found[0].stem, _Planted(str(marker)))))
    found[1].unlink()
    found[1].symlink_to("/dev/zero")
    found[2].unlink()
    os.mkfifo(found[2])
    manifest = root / ".cache" / "manifest.json"
    manifest.unlink(missing_ok=True)
    manifest.symlink_to("/dev/zero")
    counted.clear()
    assert outcome(root) == cold
    assert not marker.exists(), "a planted pickle was loaded"
    assert sorted(counted) == sorted(p for p in (root / "annotations" / "terms").glob("*.yml")
                                     if _entry_of(root, p) in set(found[:3]))
    done = subprocess.run([sys.executable, str(root / "build_docs.py"), "--root", str(root), "--quiet"],
                          capture_output=True, text=True, cwd=root, timeout=300)
    assert done.returncode == 0, done.stderr


def _entry_of(root: Path, term_file: Path) -> Path:
    from report_reader.cache import code_digest
    store = stored.Store(root / ".cache", "terms", code_digest())
    key = store.key(term_file.relative_to(root).as_posix().encode(), term_file.read_bytes())
    return Path(store._path(key))


def test_a_store_written_by_other_code_is_not_used(tmp_path, counted, monkeypatch):
    """The code's hash is in every key: entries from other code are never found."""
    root = copy_project(tmp_path / "p")
    cold = outcome(root)
    with (root / "report_reader" / "model.py").open("a", encoding="utf-8") as fh:
        fh.write("\n# other code\n")
    from report_reader import cache
    monkeypatch.setattr(cache, "CODE", root / "report_reader")
    cache.code_digest.cache_clear()
    try:
        counted.clear()
        assert outcome(root) == cold
        assert len(counted) == len(list((root / "annotations" / "terms").glob("*.yml")))
    finally:
        cache.code_digest.cache_clear()


# ---------------------------------------------------------------- seeds through stages 1–3

@pytest.fixture
def eight(tmp_path) -> Path:
    """Eight seeds, enough for the build to fork its workers: the project's, three unusual ones and
    the shared provincial reports."""
    root = copy_project(tmp_path / "p")
    for name in ("unusual-structure", "official-glossary", "wrapped-dateline"):
        shutil.copy(ROOT / "tests" / "fixtures" / f"{name}.txt", root / "seeds")
    for path in sorted((SHARED / "corpus").glob("*.txt")):
        shutil.copy(path, root / "seeds")
    assert len(list((root / "seeds").glob("*.txt"))) == 8
    return root


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The seeds actually read (not taken from the store), in this process."""
    read: list[str] = []
    real = pipeline.read_report

    def reading(project, path, problems):
        read.append(path.name)
        return real(project, path, problems)

    monkeypatch.setattr(pipeline, "read_report", reading)
    return read


def test_a_seed_read_before_is_taken_from_the_store(eight, reads):
    cold = outcome(eight)
    assert len(reads) == 8 and len(entries(eight, "reports")) == 8
    reads.clear()
    assert outcome(eight) == cold
    assert reads == []
    # A sidecar written for one seed: that seed is read again, and only that one.
    (eight / "seeds" / "unusual-structure.yml").write_text("title: 某市政府工作报告\n", encoding="utf-8")
    changed = outcome(eight)
    assert reads == ["unusual-structure.txt"]
    assert changed != cold


@pytest.mark.parametrize("jobs", [1, 2])
def test_cold_warm_and_corrupt_stores_give_the_same_bytes(eight, jobs):
    cold = outcome(eight, jobs)
    assert outcome(eight, jobs) == cold
    found = entries(eight, "reports") + entries(eight, "terms")[::5]
    for i, path in enumerate(found):
        CORRUPTIONS[i % len(CORRUPTIONS)](path)
    assert outcome(eight, jobs) == cold
    # Every spoiled entry was replaced by a sound one, whichever process read the file again.
    for path in found:
        data = path.read_bytes()
        assert data[:stored.MAC_SIZE] == stored._mac(stored.mac_key(), data[stored.MAC_SIZE:])
        entry = pickle.loads(data[stored.MAC_SIZE:])
        assert entry[0] == stored.FORMAT and path.name == f"{entry[1]}.pickle"


def test_entries_of_old_versions_are_removed_after_a_build(tmp_path, counted, reads):
    root = copy_project(tmp_path / "p")
    terms = sorted((root / "annotations" / "terms").glob("*.yml"))
    assert run_build(root).returncode == 0
    assert (len(entries(root)), len(entries(root, "reports"))) == (len(terms), 1)
    term, seed = terms[0], root / "seeds" / "jinan-tianqiao-2024.txt"
    term.write_text(term.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    seed.write_text(seed.read_text(encoding="utf-8") + "\n我们要办好民生实事。\n", encoding="utf-8")
    assert run_build(root).returncode == 0
    assert (len(entries(root)), len(entries(root, "reports"))) == (len(terms), 1)
    # What is left is what the inputs need now: a build reads no file again.
    outcome(root)
    assert (counted, reads) == ([], [])
