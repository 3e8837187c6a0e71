"""Results kept between builds under `.cache/<kind>/`, each found by a hash of everything it was
computed from (the input's name and bytes, and the code), so an entry is either right or never
asked for. An entry that does not load as exactly what this code wrote — bad pickle, truncated,
another format, another key — is ignored and computed again: the cache is never trusted, only used.

Entries are written as a temporary file renamed into place, so builds and their forked workers may
read and write the same folder at once. The folder is git-ignored, but a pull request could still
commit one: so every entry carries a MAC made with a key kept outside the repository (in the user's
cache folder), and an entry is unpickled only when its MAC is right; only regular files are read
(a link to /dev/zero or a named pipe would never end)."""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
import stat
import tempfile
from functools import cache
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

FORMAT = 2
MISSING = object()
T = TypeVar("T")
MAC_SIZE = 32


def read_regular(path: str) -> bytes:
    """A regular file's bytes, without following a link or opening a pipe or device (OSError then)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path}: not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(info.st_size)
    finally:
        os.close(fd)


@cache
def mac_key() -> bytes | None:
    """This user's key for the entries' MACs, made on first use; None (nothing stored or read) when
    the user's cache folder cannot hold it."""
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(home, "report-reader", "store.key")
    try:
        return read_regular(path)[:64] or None
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(64))
        return read_regular(path)[:64] or None  # another process may have made it first: read what is there
    except FileExistsError:
        try:
            return read_regular(path)[:64] or None
        except OSError:
            return None
    except OSError:
        return None


def _mac(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.blake2b).digest()[:MAC_SIZE]


class Store:
    def __init__(self, folder: Path, kind: str, salt: str):
        self.folder = os.path.join(str(folder), kind)
        self.salt = f"{FORMAT}:{kind}:{salt}".encode()

    def key(self, *parts: bytes) -> str:
        h = hashlib.blake2b(self.salt, digest_size=20)
        for part in parts:
            h.update(len(part).to_bytes(8, "little"))  # lengths first: no two lists of parts hash alike
            h.update(part)
        return h.hexdigest()

    def _path(self, key: str) -> str:
        return os.path.join(self.folder, key[:2], key + ".pickle")

    def get(self, key: str):
        """The value stored under `key`, or MISSING."""
        secret = mac_key()
        if secret is None:
            return MISSING
        try:
            data = read_regular(self._path(key))
            if not hmac.compare_digest(data[:MAC_SIZE], _mac(secret, data[MAC_SIZE:])):
                return MISSING  # not written by this user's builds: never unpickled
            entry = pickle.loads(data[MAC_SIZE:])
        except Exception:  # absent, unreadable, truncated, garbage, or classes this code no longer has
            return MISSING
        if not (isinstance(entry, tuple) and len(entry) == 3 and entry[0] == FORMAT and entry[1] == key):
            return MISSING
        try:
            os.utime(self._path(key))  # used now: `prune` keeps it
        except OSError:
            pass
        return entry[2]

    def through(self, contents: Callable[[], list[bytes]],
                compute: Callable[[], T]) -> tuple[T, list[bytes] | None, str]:
        """compute(), or what it gave before for the same `contents` (the input's name and bytes),
        with the contents it is for (None when they could not be read: then nothing is stored) and
        their key when the result is theirs ("" when the input changed while it was computed, or
        could not be read). A result is stored only if the input did not change meanwhile."""
        try:
            parts = contents()
        except OSError:
            return compute(), None, ""
        key = self.key(*parts)
        found = self.get(key)
        if found is MISSING:
            found = compute()
            try:
                unchanged = contents() == parts
            except OSError:
                unchanged = False
            if not unchanged:
                return found, parts, ""
            self.put(key, found)
        return found, parts, key

    def put(self, key: str, value) -> None:
        """Store `value`; a cache that cannot be written costs only the next build's time."""
        path, secret = self._path(key), mac_key()
        if secret is None:
            return
        data = pickle.dumps((FORMAT, key, value), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            write_atomically(Path(path), _mac(secret, data) + data)
        except OSError:
            pass


def write_atomically(path: Path, data: bytes) -> None:
    """Write temp + rename: a reader, in any process, sees the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def now(folder: Path) -> int | None:
    """The file system's time now, as it stamps the entries (its clock can lag `time.time_ns()` by a
    tick): a file written and its modification time read back."""
    mark = os.path.join(str(folder), ".now")
    try:
        os.makedirs(folder, exist_ok=True)
        with open(mark, "wb"):
            pass
        os.utime(mark)
        return os.stat(mark).st_mtime_ns
    except OSError:
        return None  # a cache that cannot be written is not pruned either


def prune(folder: Path, since_ns: int | None) -> int:
    """Remove the entries (of every kind) that no build has read or written since `since_ns`: after a
    full build, those of inputs that are gone or have changed. Returns how many were removed."""
    removed = 0
    for kind in os.scandir(folder) if since_ns is not None and os.path.isdir(folder) else ():
        if not kind.is_dir(follow_symlinks=False):
            continue
        for bucket in os.scandir(kind.path):
            if not bucket.is_dir(follow_symlinks=False):
                continue
            for entry in os.scandir(bucket.path):
                try:
                    if entry.stat(follow_symlinks=False).st_mtime_ns < since_ns:
                        os.unlink(entry.path)
                        removed += 1
                except OSError:
                    pass
    return removed
