"""What the last good build read and wrote, kept in `.cache/manifest.json` (git-ignored), so that
a build with nothing to do finds that out in a fraction of a second, before any heavy module loads.

The manifest holds a content hash of every input (each file under seeds/ and annotations/, the
settings and pins the build reads, and the code: every file of report_reader/ — Python, templates,
schemas, rule files), the size, time and inode of every output file, and what the build reported
(its problems and summary), which a build that does nothing prints again unchanged. Inputs are
hashed from their bytes, never trusted by time; outputs by their stat (ctime included), which any edit, removal or
replacement changes (an unchanged page keeps its inode because the writer hard-links it).

A manifest that cannot be read, is of another version, or has the wrong shape is ignored: the
build then runs in full and writes a new one. Stdlib only: this module decides before the rest loads."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
import sys
from pathlib import Path

from .stored import read_regular, write_atomically

VERSION = 1
FOLDER = ".cache"
MANIFEST = "manifest.json"

INPUT_FOLDERS = ("seeds", "annotations")
# mkdocs.yml: repo_url and site_url; requirements.txt: the pinned libraries that shape the pages.
INPUT_FILES = ("mkdocs.yml", "requirements.txt", "build_docs.py")
CODE = Path(__file__).resolve().parent
CODE_KEY = "report_reader/"  # how the code's files are named in the manifest, wherever it lies


def _digest(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "blake2b").hexdigest()[:32]


def _walk(folder: str, skip_dirs: frozenset[str] = frozenset()) -> list[str]:
    """Every file below `folder` (links included, as names: what they point to is the build's to refuse)."""
    found, stack = [], [folder]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in skip_dirs:
                        stack.append(entry.path)
                else:
                    found.append(entry.path)
    return found


def input_hashes(root: Path) -> dict[str, str]:
    """Content hash of every file the build may read, by its path (inputs relative to the project,
    code as report_reader/...). A file that cannot be read gets no hash but its error: a build
    must then run, and say what is wrong."""
    root = str(root)
    paths: dict[str, str] = {}
    for name in INPUT_FOLDERS:
        folder = os.path.join(root, name)
        if os.path.isdir(folder):
            paths.update((os.path.relpath(p, root), p) for p in _walk(folder))
    for name in INPUT_FILES:
        paths[name] = os.path.join(root, name)
    for p in _walk(str(CODE), frozenset({"__pycache__"})):
        paths[CODE_KEY + os.path.relpath(p, CODE)] = p
    hashes = {"python": sys.version}
    for key, path in sorted(paths.items()):
        try:
            info = os.lstat(path)
            # Only a regular file is opened: a link may point at /dev/zero, a named pipe would wait
            # for a writer. Either is named here, and the build refuses it (inputs.file_problem).
            if stat.S_ISLNK(info.st_mode):
                hashes[key] = "link: " + os.readlink(path)
            elif not stat.S_ISREG(info.st_mode):
                hashes[key] = f"special file: {stat.S_IFMT(info.st_mode):o}"
            else:
                hashes[key] = _digest(path)
        except FileNotFoundError:
            hashes[key] = "absent"
        except OSError as exc:
            hashes[key] = f"unreadable: {exc.strerror}"
    return hashes


@functools.cache
def code_digest() -> str:
    """One hash of the code and the Python that runs it: the salt of every stored result (stored.py)."""
    h = hashlib.blake2b(sys.version.encode(), digest_size=20)
    for p in sorted(_walk(str(CODE), frozenset({"__pycache__"}))):
        h.update(f"{os.path.relpath(p, CODE)}\0{_digest(p)}\0".encode())
    return h.hexdigest()


def output_stats(docs: Path, tree: str, outside: list[str]) -> dict[str, list[int]]:
    """Size, modification and change times and inode of every file in the generated tree, and of the
    generated pages outside it; an absent one is recorded as absent (an empty list). The change time
    is the one no tool can set back: a file rewritten with its old size and time still differs."""
    docs = str(docs)
    paths = [os.path.relpath(p, docs) for p in _walk(os.path.join(docs, tree))] if os.path.isdir(
        os.path.join(docs, tree)) else []
    stats = {}
    for rel in sorted(set(paths) | set(outside)):
        try:
            info = os.stat(os.path.join(docs, rel), follow_symlinks=False)
            stats[rel] = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
        except FileNotFoundError:
            stats[rel] = []
    return stats


def manifest_path(root: Path) -> Path:
    return Path(root) / FOLDER / MANIFEST


def load(root: Path) -> dict | None:
    """The manifest, or None when there is none or it is not one this code wrote."""
    try:
        data = json.loads(read_regular(str(manifest_path(root))))  # a committed link or pipe is not followed
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return None
    shape = {"docs": str, "tree": str, "inputs": dict, "outputs": dict, "outside": list, "outcome": dict}
    if any(not isinstance(data.get(key), kind) for key, kind in shape.items()):
        return None
    return data


def unchanged(manifest: dict | None, inputs: dict[str, str], docs: Path | None) -> bool:
    """Whether the build would read what the manifest's build read and, given `docs`, whether every
    file that build left there is still as it left it (none added, removed or edited)."""
    if manifest is None or manifest["inputs"] != inputs:
        return False
    if docs is None:
        return True
    return manifest["docs"] == str(Path(docs).resolve()) and \
        manifest["outputs"] == output_stats(docs, manifest["tree"], manifest["outside"])


def save(root: Path, docs: Path, tree: str, outside: list[str], inputs: dict[str, str], outcome: dict) -> None:
    """Record a build that wrote `docs`: `inputs` as hashed before it read them (an input edited
    during the build then differs next time, and the next build runs), its outputs as they are now
    (under the build's lock), and its `outcome`, plain data for printing again."""
    manifest = {"version": VERSION, "docs": str(Path(docs).resolve()), "tree": tree, "outside": sorted(outside),
                "inputs": inputs, "outputs": output_stats(docs, tree, outside), "outcome": outcome}
    write_atomically(manifest_path(root), json.dumps(manifest, ensure_ascii=False).encode("utf-8"))
