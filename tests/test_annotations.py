"""Annotation files: validation errors name file, line and field and say how to fix them; the
build exits 1 and writes nothing."""

import hashlib
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_build
from report_reader import annotations
from report_reader.model import Problem

TERM = """id: {id}
term: {term}
english: test
category: slogan
short: 测试定义
scope: all
status: unverified
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load(tmp_path, name, text):
    write(tmp_path / "terms", name, text)
    problems: list[Problem] = []
    terms = annotations.load_terms(tmp_path / "terms", problems, tmp_path)
    return terms, problems


def test_valid_entry_loads_with_generated_pinyin(tmp_path):
    terms, problems = load(tmp_path, "wu-xiang.yml", TERM.format(id="wu-xiang", term="五项保障"))
    assert problems == []
    assert terms[0].pinyin == "wǔ xiàng bǎo zhàng"


def test_unknown_field_names_line_and_fix(tmp_path):
    _, problems = load(tmp_path, "a.yml", TERM.format(id="a", term="甲乙") + "defintion: oops\n")
    assert len(problems) == 1
    p = problems[0]
    assert (p.file, p.line) == ("terms/a.yml", 8)
    assert "unknown field `defintion`" in p.message and "spelling" in p.hint


def test_missing_field_is_named(tmp_path):
    text = TERM.format(id="a", term="甲乙").replace("short: 测试定义\n", "")
    _, problems = load(tmp_path, "a.yml", text)
    assert [p.message for p in problems] == ["missing field `short`"]


def test_short_definition_over_40_characters(tmp_path):
    text = TERM.format(id="a", term="甲乙").replace("测试定义", "长" * 41)
    _, problems = load(tmp_path, "a.yml", text)
    assert problems[0].line == 5 and "short" in problems[0].message


def test_yaml_syntax_error_has_line(tmp_path):
    _, problems = load(tmp_path, "a.yml", "id: a\nterm: [甲\n")
    assert problems[0].line is not None and "YAML syntax" in problems[0].message


def test_id_must_match_file_name(tmp_path):
    _, problems = load(tmp_path, "b.yml", TERM.format(id="a", term="甲乙"))
    assert "differs from the file name" in problems[0].message and problems[0].line == 1


def test_item_count_must_equal_numeral(tmp_path):
    text = TERM.format(id="a", term="五项保障") + "items:\n  - text: 一\n  - text: 二\n"
    _, problems = load(tmp_path, "a.yml", text)
    assert "names 5 items but `items` lists 2" in problems[0].message
    assert problems[0].line == 8


def test_verified_needs_a_source(tmp_path):
    _, problems = load(tmp_path, "a.yml", TERM.format(id="a", term="甲乙").replace("unverified", "verified"))
    assert "no source" in problems[0].message


@pytest.mark.parametrize("term,expected", [("五项保障", 5), ("项目七大推进体系", 7), ("耕地“两平衡”", 2),
                                           ("四规一体", 4), ("1+2+6+N", 0), ("专精特新", 0)])
def test_item_numeral(term, expected):
    assert annotations.item_numeral(term) == expected


# ---- end to end through build_docs.py: exit 1, message, nothing written

def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path):
    p = copy_project(tmp_path / "p")
    assert run_build(p, "--quiet").returncode == 0
    return p


def assert_rejected(project: Path, *fragments: str):
    before = snapshot(project / "docs")
    result = run_build(project)
    assert result.returncode == 1, result.stdout
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert "nothing was written" in result.stderr
    assert snapshot(project / "docs") == before
    check = run_build(project, "--check")
    assert check.returncode == 1


def test_duplicate_id_across_files(project):
    # same id in a .yaml twin: the second file is reported at its id line (line 1 is a comment)
    src = (project / "annotations/terms/wu-xiang-bao-zhang.yml").read_text(encoding="utf-8")
    write(project / "annotations/terms", "wu-xiang-bao-zhang.yaml", src)
    assert_rejected(project, "annotations/terms/wu-xiang-bao-zhang.yaml:2", "duplicate id `wu-xiang-bao-zhang`")


def test_same_term_twice_with_overlapping_scope(project):
    write(project / "annotations/terms", "wu-xiang-bao-zhang-2.yml", TERM.format(id="wu-xiang-bao-zhang-2", term="五项保障"))
    assert_rejected(project, "“五项保障” is also defined by", "narrow one's scope")


def test_a_quoted_form_is_the_same_form_as_the_words_inside_the_quotes(project):
    """“五项保障” marks the same quoted words as 五项保障: two entries would compete for them."""
    write(project / "annotations/terms", "wu-xiang-bao-zhang-2.yml", TERM.format(id="wu-xiang-bao-zhang-2", term="“五项保障”"))
    assert_rejected(project, "“五项保障” is also defined by", "narrow one's scope")


def test_same_term_in_disjoint_scopes_is_fine(project):
    text = TERM.format(id="wu-xiang-yunnan", term="五项保障").replace("scope: all", "scope: {region: 云南省}")
    write(project / "annotations/terms", "wu-xiang-yunnan.yml", text)
    assert run_build(project, "--check").returncode == 0


NOTE = "report: jinan-tianqiao-2024\nquote: {quote}\nbody: 测试。\n"


def test_note_quote_not_found_shows_closest_passage(project):
    write(project / "annotations/notes/jinan-tianqiao-2024", "x.yml", NOTE.format(quote="闭环落实项目七大推进体系"))
    assert_rejected(project, "annotations/notes/jinan-tianqiao-2024/x.yml:2", "quote not found",
                    "closest passage: s0 ¶1", "项目七大推进体系")


def test_note_quote_found_twice_lists_candidates(project):
    write(project / "annotations/notes/jinan-tianqiao-2024", "x.yml", NOTE.format(quote="专业市场"))
    assert_rejected(project, "quote found", "s0 ¶3", "add `prefix:` or `suffix:`")


def test_prefix_chooses_one_occurrence(project):
    write(project / "annotations/notes/jinan-tianqiao-2024", "x.yml",
          NOTE.format(quote="专业市场") + "prefix: 分类推进\n")
    result = run_build(project, "--quiet")
    assert result.returncode == 0, result.stderr
    page = (project / "docs/reports/jinan-tianqiao-2024/s0/index.md").read_text(encoding="utf-8")
    assert '分类推进<mark class="rr-noted"><a class="rr-term"' in page


def test_note_for_unknown_report(project):
    write(project / "annotations/notes/nowhere", "x.yml", NOTE.format(quote="专业市场").replace("jinan-tianqiao-2024", "nowhere"))
    assert_rejected(project, "report `nowhere` is not in seeds/")


def test_item_passage_must_exist(project):
    path = project / "annotations/terms/wu-xiang-bao-zhang.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("拆违控违成效明显", "拆违控违成效显著"), encoding="utf-8")
    assert_rejected(project, "passage “拆违控违成效显著” is not in any report")


def test_hand_written_file_in_the_way_is_never_overwritten(tmp_path):
    project = copy_project(tmp_path / "p")
    mine = project / "docs" / "index.md"
    mine.write_text("# My own page\n", encoding="utf-8")
    result = run_build(project)
    assert result.returncode == 1 and "hand-written file" in result.stderr
    assert mine.read_text(encoding="utf-8") == "# My own page\n"
    assert not (project / "docs" / "reports").exists()


@pytest.mark.parametrize("term,expected", [("“八五”普法", "bā wǔ pǔ fǎ"), ("世界500强", "shì jiè 500 qiáng"),
                                           ("1+2+6+N", "1+2+6+N"), ("“三公”经费", "sān gōng jīng fèi")])
def test_generated_pinyin_drops_quotes_and_keeps_numbers_whole(term, expected):
    assert annotations.to_pinyin(term) == expected


def _variants(data: dict, schema: dict):
    """Documents one mistake away from a valid one: each field dropped, emptied, mistyped, overlong,
    off its pattern or enum, and one unknown field added; nested mappings and lists alike."""
    yield data
    yield {**data, "unknown_field": "x"}
    props = schema.get("properties", {})
    for key, value in data.items():
        yield {k: v for k, v in data.items() if k != key}
        for bad in ("", 0, None, [], {}, "x" * 300, "Not-A-Valid value!", ["x"], [{}], [{"title": ""}],
                    {"region": ""}, {"report": "x", "region": "y"}, True):
            yield {**data, key: bad}
        sub = props.get(key, {})
        if isinstance(value, dict):
            for v in _variants(value, sub):
                yield {**data, key: v}
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for v in _variants(value[0], sub.get("items", {})):
                yield {**data, key: [v, *value[1:]]}
            yield {**data, key: value + value[:1]}  # a repeated item


@pytest.mark.parametrize("kind, folder", [("term", "terms"), ("note", "notes")])
def test_the_quick_validator_rejects_what_the_reference_validator_rejects(kind, folder):
    import yaml
    files = sorted((ROOT / "annotations" / folder).rglob("*.yml"))
    assert files
    schema = annotations._schema(kind)
    checked = 0
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for doc in _variants(data, schema):
            reference = not any(annotations._validator(kind).iter_errors(doc))
            assert annotations._is_valid(kind)(doc) == reference, (path.name, doc)
            checked += 1
    assert checked > 1000
