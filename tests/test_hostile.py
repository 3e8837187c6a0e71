"""A catalogue of hostile and broken input, as a stranger's pull request could carry it: names that
become paths, links out of the repository, patterns and YAML that cost without bound, values of the
wrong type, control characters. Each is refused by the real front (build_docs.py) with
`file:line: error: what — how to fix`, exit 1 and no traceback, and docs/ is then byte for byte as it
was. (Escaping what reaches a page is tested with the render layer, in test_xss.py.)"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_build
from report_reader import furniture_rules, ingest, inputs

FIXTURES = Path(__file__).with_name("fixtures")
VALID_REPORT = (FIXTURES / "page-foot.txt").read_bytes()  # a short report of our own, foot included
SEED = "seeds/jinan-tianqiao-2024.txt"
SIDECAR = "seeds/jinan-tianqiao-2024.yml"
# A build of this project takes about a second; a build that has not ended in two minutes hangs.
HANG = 120
ERROR_LINE = re.compile(r"^(?P<file>[^\s:][^:]*?)(?::(?P<line>\d+))?: error: (?P<what>.+) — (?P<fix>.+)$")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The project, built once; each test adds its bad input, builds again and takes it away."""
    root = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    first = run_build(root, "--quiet")
    assert first.returncode == 0, first.stderr
    return root


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and symbolic link under `folder`, by content."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = "-> " + os.readlink(path)
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[rel] = "dir"
    return out


@contextlib.contextmanager
def added(project: Path, files: dict[str, bytes | str | Path]):
    """Files added for one test (a Path value makes a symbolic link to it), then taken away."""
    made = []
    try:
        for rel, content in files.items():
            target = project / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                target.symlink_to(content)
            elif isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
            made.append(target)
        yield
    finally:
        for target in made:
            target.unlink()


def refused(project: Path, files: dict, *args: str) -> list[re.Match]:
    """Build with `files` added; assert the build refused them as it must and changed nothing.
    Returns the error lines, parsed."""
    docs_before = snapshot(project / "docs")
    around = sorted(p.name for p in project.parent.iterdir())
    with added(project, files):
        result = subprocess.run([sys.executable, str(project / "build_docs.py"), "--root", str(project), *args],
                                capture_output=True, text=True, cwd=project, timeout=HANG)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert snapshot(project / "docs") == docs_before
    assert sorted(p.name for p in project.parent.iterdir()) == around  # nothing written beside the project
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors, result.stderr
    parsed = [ERROR_LINE.match(line) for line in errors]
    assert all(parsed), errors
    assert all(len(line) < 600 for line in result.stderr.splitlines()), "an error quotes at most a line of input"
    return parsed


def builds(project: Path, files: dict) -> subprocess.CompletedProcess:
    with added(project, files):
        result = subprocess.run([sys.executable, str(project / "build_docs.py"), "--root", str(project), "--quiet"],
                                capture_output=True, text=True, cwd=project, timeout=HANG)
    assert result.returncode == 0, result.stderr
    return result


# ---------------------------------------------------------------- report ids

BAD_NAMES = {
    "...txt": "..",  # a report id `..`: its pages would land in docs/ itself
    "..txt": ".",
    "glossary.txt": "glossary",  # the shared glossary's address
    "terms.txt": "terms",  # the term index's
    "Glossary.txt": "Glossary",
    "terms-a.txt": "terms-a",  # a page of the term index: reports/terms-a/index.md
    "index.txt": "index",
    "assets.txt": "assets",
    'x"><img src=x onerror=alert(1)>.txt': 'x"><img src=x onerror=alert(1)>',
    "two words.txt": "two words",
    "a#b.txt": "a#b",
    "a?b.txt": "a?b",
    "under_score.txt": "under_score",
    "dot.ted.txt": "dot.ted",
    "-lead.txt": "-lead",
    "tab\there.txt": "tab\there",
}


def test_seeds_whose_names_are_no_valid_report_ids_are_refused_with_valid_names(project):
    """Every name in BAD_NAMES at once (one build): each gets its own error, with a valid name."""
    errors = refused(project, {f"seeds/{name}": VALID_REPORT for name in BAD_NAMES})
    for name in BAD_NAMES:
        mine = [e for e in errors if e["file"] == f"seeds/{name}"]
        assert len(mine) == 1 and mine[0]["line"] == "1", (name, [e.string for e in errors])
        suggestion = re.search(r"rename it to (\S+)\.txt$", mine[0]["fix"])
        assert suggestion, mine[0]["fix"]
        assert inputs.report_id_problem("seeds/x.txt", suggestion[1], {}) is None  # the name offered is valid
    assert len(errors) == len(BAD_NAMES), [e.string for e in errors]


def test_report_ids_are_unique_without_case(project):
    errors = refused(project, {"seeds/Jinan-Tianqiao-2024.txt": VALID_REPORT})
    case = [e for e in errors if "case" in e["what"]]
    assert len(case) == 1 and case[0]["file"].casefold() == "seeds/jinan-tianqiao-2024.txt", [e.string for e in errors]


@pytest.mark.parametrize("name", ["jinan-tianqiao-2024", "济南市天桥区-2024", "qinghai-2026", "Report-2024", "２０２４"])
def test_valid_report_ids(name):
    assert inputs.report_id_problem(f"seeds/{name}.txt", name, {}) is None


def test_a_report_with_a_chinese_id_builds(project):
    """A control (it passes before the checks too): the id rule lets a Chinese name through."""
    builds(project, {"seeds/清河区-2025.txt": VALID_REPORT})
    assert (project / "docs/reports/清河区-2025/index.md").exists()
    builds(project, {})  # and goes away with its seed
    assert not (project / "docs/reports/清河区-2025").exists()


def test_every_name_the_site_writes_beside_reports_is_reserved(built_project):
    """The names a real build and `mkdocs build` write where report ids live (docs/reports/, and the
    top of docs/ and site/) are all in inputs.RESERVED_IDS, so no report can take one's address."""
    reports = {p.name for p in (built_project / "seeds").glob("*.txt")}
    report_ids = {name[:-len(".txt")] for name in reports}
    names = set()
    for folder in (built_project / "docs", built_project / "docs/reports", built_project / "site",
                   built_project / "site/reports"):
        for entry in folder.iterdir():
            stem = entry.name.split(".")[0]
            if stem and stem not in report_ids:
                names.add(stem)
    assert names, "the build wrote nothing?"
    for stem in sorted(names):
        folded = stem.casefold()
        assert folded in inputs.RESERVED_IDS or folded.startswith(inputs.RESERVED_PREFIXES), stem
        assert inputs.report_id_problem("seeds/x.txt", stem, {}) is not None, stem


def test_a_report_named_like_an_internal_cache_key_builds(project):
    builds(project, {"seeds/ranks.txt": VALID_REPORT})


# ---------------------------------------------------------------- only regular files inside the project

@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder outside the project, as a symbolic link in a pull request would reach."""
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "report.txt").write_bytes(VALID_REPORT)
    (secret / "sidecar.yml").write_text("title: 偷来的标题\n", encoding="utf-8")
    (secret / "term.yml").write_text((ROOT / "annotations/terms/zu-tuan.yml").read_text(encoding="utf-8"), encoding="utf-8")
    return secret


def test_a_seed_that_is_a_symbolic_link_is_refused(project, outside):
    errors = refused(project, {"seeds/leak.txt": outside / "report.txt"})
    assert [(e["file"], e["line"]) for e in errors] == [("seeds/leak.txt", "1")]
    assert "symbolic link" in errors[0]["what"]


def test_a_link_to_an_endless_device_or_a_pipe_is_refused_without_being_read(project, tmp_path):
    """The build hashes its inputs before reading them (cache.py): that step must not open what a
    link points at, nor a named pipe, or a pull request could make the build read forever or wait
    forever. Both are refused like any link or special file."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    errors = refused(project, {"seeds/zero.txt": Path("/dev/zero"), "annotations/terms/pipe.yml": pipe})
    assert {e["file"] for e in errors} == {"seeds/zero.txt", "annotations/terms/pipe.yml"}


def test_a_sidecar_that_is_a_symbolic_link_is_refused(project, outside):
    errors = refused(project, {SIDECAR: outside / "sidecar.yml"})
    assert [(e["file"], e["line"]) for e in errors] == [(SIDECAR, "1")]


def test_a_term_file_that_is_a_symbolic_link_is_refused(project, outside):
    (project / "annotations/terms/zu-tuan.yml").rename(project / "zu-tuan.yml.bak")
    try:
        errors = refused(project, {"annotations/terms/zu-tuan.yml": outside / "term.yml"})
    finally:
        (project / "zu-tuan.yml.bak").rename(project / "annotations/terms/zu-tuan.yml")
    assert any(e["file"] == "annotations/terms/zu-tuan.yml" and "symbolic link" in e["what"] for e in errors)


def test_a_notes_folder_that_is_a_symbolic_link_is_not_followed(project, outside):
    notes = outside / "notes"
    notes.mkdir()
    (notes / "leak.yml").write_text("report: jinan-tianqiao-2024\nquote: 洽谈项目88个\nbody: 外面的文件\n", encoding="utf-8")
    link = project / "annotations/notes/jinan-tianqiao-2024"
    link.rename(project / "notes.bak")
    try:
        errors = refused(project, {"annotations/notes/jinan-tianqiao-2024": notes})
    finally:
        (project / "notes.bak").rename(link)
    assert [(e["file"], e["line"]) for e in errors] == [("annotations/notes/jinan-tianqiao-2024/leak.yml", "1")]
    assert "symbolic link" in errors[0]["what"]


# ---------------------------------------------------------------- contributors' regular expressions

def test_a_catastrophic_sidecar_pattern_runs_in_linear_time(project):
    """`(a+)+$` against 34 a's then b backtracks 2^34 times in Python's `re`; on RE2 the build ends
    (the subprocess's timeout, two minutes against a one-second build, is the hang detector), the
    pattern still removes what it matches and keeps what it does not."""
    text = VALID_REPORT.decode("utf-8").replace("各位代表！", "aaaa\n" + "a" * 34 + "b\n各位代表！", 1)
    with added(project, {"seeds/backtrack.txt": text, "seeds/backtrack.yml": "furniture:\n  drop_pattern: ['(a+)+$']\n"}):
        out = subprocess.run([sys.executable, str(project / "build_docs.py"), "--root", str(project)],
                             capture_output=True, text=True, cwd=project, timeout=HANG)
        body = "".join(p.read_text(encoding="utf-8") for p in (project / "docs/reports/backtrack").glob("s*/index.md"))
    assert out.returncode == 0, out.stderr
    assert "[sidecar pattern] aaaa" in out.stdout
    assert "a" * 34 + "b" in body


def test_sidecar_rules_are_compiled_by_re2_and_shipped_ones_by_re():
    rules, problems = furniture_rules.load_rules({"drop_pattern": ["(a+)+$"], "capture": [{"name": "x", "field": "source_name",
                                                                                 "pattern": "^稿件来源：(\\S+)$"}]})
    assert not problems
    ours = [rx for name, rx in rules.drop_pattern if name == "sidecar pattern"]
    assert len(ours) == 1 and type(ours[0]).__module__.startswith("re2")
    assert all(type(rx).__module__ == "re" for name, rx in rules.drop_pattern if name != "sidecar pattern")
    src = ingest.strip_furniture("\n".join(["2024年某市政府工作报告", "各位代表：", "一、回顾",
                                            "过去一年，我们做了很多工作，取得了新的成绩。", "a" * 40 + "b", "aaaa",
                                            "稿件来源：某某网"]), "seeds/t.txt", "t", rules)
    assert [r.text for r in src.removed if r.rule == "sidecar pattern"] == ["aaaa"]
    assert src.meta.get("source_name") == "某某网"


@pytest.mark.parametrize("pattern", [r"(a)\1", r"(?=a)b", r"(?<=a)b", r"(?P<x>a)(?P=x)"])
def test_a_pattern_re2_cannot_run_is_an_error_with_the_fix(project, pattern):
    sidecar = f"furniture:\n  drop_pattern: ['{pattern}']\n"
    errors = refused(project, {SIDECAR: sidecar})
    assert [e["file"] for e in errors] == [SIDECAR]
    assert "RE2" in errors[0]["fix"]


# ---------------------------------------------------------------- contributors' YAML

# A billion laughs in 330 bytes or so: each level holds nine of the one before.
BOMB = "".join([
    'date: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n',
    *(f"x{i}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(7)),
])


def test_an_alias_bomb_in_a_sidecar_fails_at_once_with_a_clear_error(project):
    assert len(BOMB.encode()) < 400
    errors = refused(project, {SIDECAR: BOMB})
    assert [(e["file"], e["line"]) for e in errors] == [(SIDECAR, "1")]
    assert "aliases" in errors[0]["what"]


def test_an_alias_bomb_in_a_term_fails_with_a_short_error(project):
    term = (project / "annotations/terms/zu-tuan.yml").read_text(encoding="utf-8")
    bomb = BOMB.replace("date:", "lol:") + term.replace("short: ", "short: *h #", 1)
    (project / "annotations/terms/zu-tuan.yml").write_text(bomb, encoding="utf-8")
    try:
        errors = refused(project, {})
    finally:
        (project / "annotations/terms/zu-tuan.yml").write_text(term, encoding="utf-8")
    assert [(e["file"], e["line"]) for e in errors] == [("annotations/terms/zu-tuan.yml", "1")]


def test_any_anchor_or_alias_is_refused(project):
    errors = refused(project, {SIDECAR: "title: &t 某市政府工作报告\nissuer: *t\n"})
    assert [(e["file"], e["line"]) for e in errors] == [(SIDECAR, "1")]


def test_a_contributor_yaml_file_over_the_size_limit_is_refused(project):
    note = "report: jinan-tianqiao-2024\nquote: 洽谈项目88个\nbody: |\n" + "  很长的说明。\n" * 8000
    assert len(note.encode()) > inputs.YAML_LIMIT
    errors = refused(project, {"annotations/notes/jinan-tianqiao-2024/huge.yml": note})
    assert [e["file"] for e in errors] == ["annotations/notes/jinan-tianqiao-2024/huge.yml"]
    assert "64 KB" in errors[0]["what"]


def test_an_error_quotes_at_most_a_line_of_a_long_value(project):
    term = (project / "annotations/terms/zu-tuan.yml").read_text(encoding="utf-8")
    long_value = "长" * 20000
    (project / "annotations/terms/zu-tuan.yml").write_text(term.replace("category: general", f"category: {long_value}"),
                                                           encoding="utf-8")
    try:
        errors = refused(project, {})  # refused() checks that no line of the output is long
    finally:
        (project / "annotations/terms/zu-tuan.yml").write_text(term, encoding="utf-8")
    assert errors[0]["file"] == "annotations/terms/zu-tuan.yml"


# ---------------------------------------------------------------- sidecar fields of the wrong type

@pytest.mark.parametrize("sidecar, line", [
    ("title: [一, 二]\n", 1),
    ("issuer: 某市人民政府\nregion: 42\n", 2),
    ("- title\n- date\n", 1),
    ("date: 昨天\n", 1),
    ("source_url: javascript:alert(1)\n", 1),
    ("title: {a: 1}\n", 1),
    ("furniture:\n  drop_pattern: 5\n", 2),
    ("furniture:\n  drop_block:\n    - {start: '^x', end: '^y', max_len: many}\n", 3),
    ("furniture:\n  capture:\n    - {name: x, field: header, pattern: '^x(.*)'}\n", 3),
    ("furniture: [drop_pattern]\n", 1),
    ("titel: 某市政府工作报告\n", 1),
])
def test_a_sidecar_field_of_the_wrong_type_is_an_error_with_its_line(project, sidecar, line):
    errors = refused(project, {SIDECAR: sidecar})
    assert [(e["file"], e["line"]) for e in errors] == [(SIDECAR, str(line))]


def test_a_sidecar_with_right_types_still_works(project):
    """A control (it passes before the schema too): an unquoted date, a region list, a named rule."""
    builds(project, {SIDECAR: "title: 2024年济南市天桥区政府工作报告\ndate: 2024-01-16\nregion: [山东省, 济南市, 天桥区]\n"
                              "furniture:\n  drop_pattern: [{name: byline, pattern: '^本报记者'}]\n"})


# ---------------------------------------------------------------- control characters

def test_a_nul_byte_after_the_first_8_kb_names_its_line(project):
    text = VALID_REPORT.decode("utf-8").split("\n")
    padding = ["这是为了把文件撑大而加的一行说明文字。" * 4] * 120
    lines = text[:6] + padding + ["坏\x00行"] + text[6:]
    data = "\n".join(lines).encode("utf-8")
    assert data.index(b"\x00") > 8192
    errors = refused(project, {"seeds/nul.txt": data})
    assert [(e["file"], e["line"]) for e in errors] == [("seeds/nul.txt", str(6 + 120 + 1))]


def test_a_c1_control_character_in_a_heading_names_its_line(project):
    text = VALID_REPORT.decode("utf-8").replace("二、2025年工作安排", "二、2025年\u0086工作安排")
    errors = refused(project, {"seeds/c1.txt": text})
    assert [(e["file"], e["line"]) for e in errors] == [("seeds/c1.txt", "9")]
    assert "U+0086" in errors[0]["what"]


@pytest.mark.parametrize("field, value", [("short", '"组团\\x86单元"'), ("english", '"cluster\\u0007"'),
                                          ("category", '"general\\0"')])
def test_a_control_character_in_a_term_names_its_line(project, field, value):
    term = (project / "annotations/terms/zu-tuan.yml").read_text(encoding="utf-8")
    lines = [f"{field}: {value}" if line.startswith(f"{field}:") else line for line in term.split("\n")]
    (project / "annotations/terms/zu-tuan.yml").write_text("\n".join(lines), encoding="utf-8")
    try:
        errors = refused(project, {})
    finally:
        (project / "annotations/terms/zu-tuan.yml").write_text(term, encoding="utf-8")
    expected = next(i for i, line in enumerate(lines, 1) if line.startswith(f"{field}:"))
    assert [(e["file"], e["line"]) for e in errors] == [("annotations/terms/zu-tuan.yml", str(expected))]


def test_a_control_character_in_a_note_names_its_line(project):
    note = 'report: jinan-tianqiao-2024\nquote: 洽谈项目88个\nbody: "说明\\u0086文字"\n'
    errors = refused(project, {"annotations/notes/jinan-tianqiao-2024/control.yml": note})
    assert [(e["file"], e["line"]) for e in errors] == [("annotations/notes/jinan-tianqiao-2024/control.yml", "3")]


# ---------------------------------------------------------------- terms

def edit_term(project: Path, old: str, new: str):
    path = project / "annotations/terms/zu-tuan.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path, text


def test_a_blank_term_is_refused(project):
    path, text = edit_term(project, "term: 组团", 'term: "“”"')
    try:
        errors = refused(project, {})
    finally:
        path.write_text(text, encoding="utf-8")
    assert [(e["file"], e["line"]) for e in errors] == [("annotations/terms/zu-tuan.yml", "2")]


@pytest.mark.parametrize("short", ["组团`单元", "见[说明](javascript:alert(1))", "反斜杠\\\\"])
def test_markdown_syntax_in_a_short_definition_is_refused(project, short):
    """A term's short definition is written into the attributes of its marks; in a lead sentence,
    which is a Markdown heading, two backticks in two marks made a code span that swallowed the
    report's words between them, and brackets made a link inside an attribute."""
    path, text = edit_term(project, "short: 规划中功能相对集中的片区单元；天桥区规划了五个产业组团", f'short: "{short}"')
    try:
        errors = refused(project, {})
    finally:
        path.write_text(text, encoding="utf-8")
    assert [(e["file"], e["line"]) for e in errors] == [("annotations/terms/zu-tuan.yml", "5")]


# ---------------------------------------------------------------- the output folder

@pytest.mark.parametrize("blocker", ["docs/reports", "docs"])
def test_an_unwritable_output_folder_is_one_error_line(project, blocker):
    target = project / blocker
    moved = project.parent / (target.name + ".moved")
    target.rename(moved)
    target.write_bytes(b"not a folder")
    try:
        result = run_build(project, "--quiet")
    finally:
        target.unlink()
        moved.rename(target)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith(f"{blocker}/: error: cannot write — "), result.stderr


# ---------------------------------------------------------------- page furniture at a page's foot

def test_the_foot_of_a_government_page_is_removed_and_the_report_kept():
    """An editor's name under 责任编辑：, 相关附件>> and 相关链接>>, related articles as 32-digit
    hexadecimal ids each followed by a title (some of which end like a sentence, so that the trailer
    rule alone would keep them): removed, each line recorded with its rule."""
    _, src, problems = ingest.ingest(FIXTURES / "page-foot.txt", None, "seeds/page-foot.txt")
    assert not [p for p in problems if p.severity == "error"]
    lines = (FIXTURES / "page-foot.txt").read_text(encoding="utf-8").split("\n")
    foot = lines.index("责任编辑：")
    kept = [text for _, text in src.lines]
    assert kept == lines[3:foot]  # from 各位代表： to the closing appeal, every word
    removed = {r.line: r.rule for r in src.removed}
    assert removed[foot + 1] == "label of editor" and removed[foot + 2] == "value of editor"
    for n in range(foot + 3, len([line for line in lines if line]) + 1):
        assert removed[n] == "related links", (n, lines[n - 1])


# ---------------------------------------------------------------- workflows

def test_deploy_workflow_grants_write_only_to_the_deploy_job_and_only_from_main():
    import yaml
    flow = yaml.safe_load((ROOT / ".github/workflows/deploy.yml").read_text(encoding="utf-8"))
    assert flow.get("permissions") in ({}, None) or set(flow["permissions"].values()) <= {"read", "none"}
    for name, job in flow["jobs"].items():
        granted = {k for k, v in (job.get("permissions") or {}).items() if v == "write"}
        assert granted == ({"pages", "id-token"} if name == "deploy" else set()), name
        assert job.get("if") == "github.ref == 'refs/heads/main'", name


def test_every_action_is_pinned_to_a_full_commit():
    for flow in sorted((ROOT / ".github/workflows").glob("*.yml")):
        for ref in re.findall(r"uses:\s*(\S+)", flow.read_text(encoding="utf-8")):
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), f"{flow.name}: {ref}"
