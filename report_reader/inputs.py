"""What a pull request carries, checked before it is used: the names of seeds (report ids), the
files themselves (regular files inside the project, of bounded size), contributors' YAML (no
anchors or aliases), control characters, and contributors' regular expressions (RE2, linear time).
Anything in seeds/ or annotations/ may come from a stranger: each check returns Problems, never
raises, and quotes at most a short piece of the input."""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path

import yaml

from .model import Problem

# ---------------------------------------------------------------- report ids

# Letters of any script (CJK included) and digits, in words joined by single hyphens. No dot,
# slash, quote, '#', '?', space, underscore or control character: an id is a folder name, a URL
# path segment, a YAML key and a cache key at once.
REPORT_ID_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
MAX_ID_LENGTH = 80

# Names the site itself uses where report ids live (docs/reports/<id>/, its URL /reports/<id>/),
# or at the top of docs/ and of the built site, where a careless move of the reports folder would
# put them. Compared after case folding. tests/test_hostile.py checks that every name a real build
# writes under docs/, docs/reports/ and site/ is covered here.
RESERVED_IDS = frozenset({
    # docs/reports/: the shared glossary and the term index (paged as glossary-a/, terms-b/ ...)
    "glossary", "terms",
    # docs/ and site/: pages, folders and files the site writes or MkDocs and Material add
    "index", "reports", "contributing", "assets", "search", "sitemap", "404", "stylesheets",
    "javascripts", "overrides", "pagefind",
    # in a report's own folder: its page names, reserved too so a link never means two things
    "print", "raw",
})
# Paged pages beside the report folders: reports/glossary-a/index.md is served at /reports/glossary-a/.
RESERVED_PREFIXES = ("glossary-", "terms-")


def report_id_problem(path_shown: str, report_id: str, taken: dict[str, str]) -> Problem | None:
    """Why a seed's name cannot be a report id (None when it can). `taken`: case-folded id → the
    seed that has it, for the seeds checked before; this one is added when it is fine."""
    folded = report_id.casefold()
    fix = f"rename it to {suggest_id(report_id, set(taken))}.txt"
    if len(report_id) > MAX_ID_LENGTH:
        return Problem(path_shown, 1, f"the file name is {len(report_id)} characters long; the limit is "
                                      f"{MAX_ID_LENGTH}", fix)
    if not REPORT_ID_RE.fullmatch(report_id):
        return Problem(path_shown, 1, f"the file name `{shown(report_id)}` is not a valid report id (letters, "
                                      "digits and single hyphens only: no dots, slashes, quotes, spaces, `#`, `?` "
                                      "or control characters)", fix)
    if folded in RESERVED_IDS or folded.startswith(RESERVED_PREFIXES):
        return Problem(path_shown, 1, f"the report id `{report_id}` is a name the site uses itself "
                                      f"(see RESERVED_IDS in report_reader/inputs.py)", fix)
    if folded in taken:
        return Problem(path_shown, 1, f"the report id `{report_id}` differs only in case from "
                                      f"{taken[folded]} (ids are compared without case)", fix)
    taken[folded] = path_shown
    return None


def suggest_id(name: str, taken: set[str] | frozenset = frozenset()) -> str:
    """A valid id close to `name`: compatibility forms folded (ＡＢ → AB), every run of other
    characters made one hyphen, lower case; `report-` in front of a reserved word; a number after
    one already taken."""
    text = unicodedata.normalize("NFKC", name).lower()
    words = re.findall(r"[^\W_]+", text)
    base = "-".join(words)[:MAX_ID_LENGTH].strip("-") or "report"
    if base in RESERVED_IDS or base.startswith(RESERVED_PREFIXES):
        base = f"report-{base}"
    folded = {t.casefold() for t in taken}
    candidate, n = base, 2
    while candidate.casefold() in folded:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def shown(text: str, limit: int = 60) -> str:
    """Input quoted in a message: control characters as escapes, cut to `limit` characters."""
    text = CONTROL_RE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} characters)"


# ---------------------------------------------------------------- files

# A contributor's YAML file (a term, a note, a sidecar) is a page of text; a larger one is a
# mistake or an attack, and is refused before it is parsed.
YAML_LIMIT = 64 * 1024


def file_problem(path: Path, root: Path | None, shown_as: str, limit: int | None = None) -> Problem | None:
    """None when `path` is a regular file inside `root`, reached through no symbolic link below
    `root`, and of at most `limit` bytes; else why not. A symbolic link in a pull request could
    publish any file of the build machine."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        return Problem(shown_as, None, f"cannot read — {exc.strerror}", "check that the file exists and is readable")
    if stat.S_ISLNK(info.st_mode):
        return Problem(shown_as, 1, "is a symbolic link; only regular files in the repository are read",
                       "replace the link by the file itself")
    if not stat.S_ISREG(info.st_mode):
        return Problem(shown_as, 1, "is not a regular file", "put a plain text file here")
    if root is not None:  # os.path on strings: thousands of annotation files pass here
        base = os.path.abspath(root)
        rel = os.path.relpath(os.path.abspath(path), base)
        if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
            return Problem(shown_as, 1, "lies outside the project folder", "move it into the repository")
        # Each folder between the project and the file is a real one (no link in the chain): then
        # the file, itself no link, is inside the project however its path is written.
        folder = base
        for part in rel.split(os.sep)[:-1]:
            folder = os.path.join(folder, part)
            if os.path.islink(folder):
                return Problem(shown_as, 1, f"is reached through the symbolic link {os.path.relpath(folder, base)}/; "
                                            "only regular files in the repository are read",
                               "replace the linked folder by a real one")
    if limit is not None and info.st_size > limit:
        return Problem(shown_as, 1, f"is {info.st_size // 1024} KB; the limit for this file is {limit // 1024} KB",
                       "split it into several files, or shorten it")
    return None


# ---------------------------------------------------------------- control characters

# C0 controls but tab, line feed and carriage return; DEL; C1 controls; the Unicode line and
# paragraph separators. None is text, and each breaks a page, a YAML file or a terminal.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def control_problem(text: str, shown_as: str, line: int | None = None) -> Problem | None:
    """The first control character in `text` (a whole seed when `line` is None: the line is counted)."""
    m = CONTROL_RE.search(text)
    if not m:
        return None
    where = line if line is not None else text.count("\n", 0, m.start()) + 1
    name = unicodedata.name(m.group(0), "") or {0: "NUL"}.get(ord(m.group(0)), "a control character")
    return Problem(shown_as, where, f"control character U+{ord(m.group(0)):04X} ({name}) in the text",
                   "delete it: it is not part of the report's words (an editor or a copy left it)")


def control_in_data(data, node, shown_as: str, line_of) -> Problem | None:
    """The first string in parsed YAML holding a control character (written as an escape, \\x86 or
    \\0, in a quoted string), with the line of its field."""
    stack: list[tuple[list, object]] = [([], data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if CONTROL_RE.search(value):
                return control_problem(value, shown_as, line_of(node, path))
        elif isinstance(value, dict):
            stack.extend((path + [k], v) for k, v in value.items())
            stack.extend((path + [k], k) for k in value if isinstance(k, str))
        elif isinstance(value, list):
            stack.extend((path + [i], v) for i, v in enumerate(value))
    return None


# ---------------------------------------------------------------- YAML

# An anchor or alias begins a node: at the start of a line, or after white space or a flow indicator.
_MAY_ANCHOR = re.compile(r"(?:^|[\s\[\]{},:?-])[&*]", re.MULTILINE)


def yaml_alias_problem(text: str, shown_as: str, loader) -> Problem | None:
    """Anchors and aliases are refused: an alias bomb of a few hundred bytes expands to gigabytes
    once read. Checked on the parser's events, which never expand anything."""
    if not _MAY_ANCHOR.search(text):  # most files: no & or * where a node may begin (**bold** follows a word)
        return None
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return Problem(shown_as, event.start_mark.line + 1, "YAML anchors and aliases (&name, *name) are "
                                                                    "not accepted", "write the value out in full")
    except yaml.YAMLError:
        return None  # the parse proper reports the syntax error, with its line
    return None


def yaml_error_problem(exc: yaml.YAMLError, shown_as: str, hint: str) -> Problem:
    """A syntax error, without PyYAML's quoted snippet of the input (a long line would fill a screen)."""
    mark = getattr(exc, "problem_mark", None)
    what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return Problem(shown_as, mark.line + 1 if mark else None, f"YAML syntax: {shown(str(what), 120)}", hint)


# ---------------------------------------------------------------- regular expressions

def compile_contributed(pattern: str):
    """A contributor's regular expression, compiled by RE2: matching takes time linear in the line,
    whatever the pattern. Raises ValueError with RE2's reason for what RE2 does not take
    (back-references, look-around)."""
    import re2  # google-re2: imported when a sidecar has rules (most seeds have none)

    if not isinstance(pattern, str):
        raise ValueError(f"expected text, got {type(pattern).__name__}")
    options = re2.Options()
    options.log_errors = False  # RE2 would print each refusal to stderr; the Problem says it once
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise ValueError(reason) from None


# ---------------------------------------------------------------- the output folder

def docs_problem(docs: Path, root: Path) -> Problem | None:
    """Whether the build can write docs/ (and docs/reports/, the folder it owns): asked before
    anything is rendered, so that a folder the build cannot write stops it with one line, not a
    traceback halfway through. A file is made and removed in each: permissions alone do not tell
    (the superuser passes them, a read-only mount does not)."""
    import tempfile

    for folder in (docs, docs / "reports"):
        shown_as = f"{folder.relative_to(root).as_posix()}/" if folder.is_relative_to(root) else f"{folder}/"
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            return Problem(shown_as, None, "cannot write — it is not a folder",
                           f"remove what is at {shown_as.rstrip('/')}; the build makes the folder itself")
        if not folder.exists():
            if folder == docs:
                return Problem(shown_as, None, "cannot write — the folder does not exist",
                               "create it with the hand-written pages (docs/contributing.md, docs/assets/)")
            continue
        try:
            fd, probe = tempfile.mkstemp(dir=folder, prefix=".write-test-")
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            return Problem(shown_as, None, f"cannot write — {exc.strerror or exc}",
                           "make the folder writable for the user running the build")
    return None
