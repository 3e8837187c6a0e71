"""Stage 1, seed bytes → SourceText: decoding, every page-furniture rule on short inputs (furniture
before, inside and after the text), sidecar rules, and bad seeds failing the build cleanly."""

import hashlib
from pathlib import Path

import pytest

from conftest import copy_project, run_build
from report_reader import furniture_rules, ingest

# A report in six lines: title, salutation, heading, prose, run-in heading, closing appeal.
REPORT = [
    "2024年某市政府工作报告",
    "各位代表：",
    "一、工作回顾",
    "过去一年，我们坚持稳中求进，经济运行稳中向好。",
    "（一）扩大有效投资。实施重点项目200个，完成投资300亿元。",
    "各位代表！让我们团结一心，奋力开创高质量发展新局面！",
]


def strip(lines, sidecar=None):
    rules, problems = furniture_rules.load_rules(sidecar)
    assert problems == []
    return ingest.strip_furniture("\n".join(lines), "seeds/t.txt", "t", rules)


def body(src):
    return [s for _, s in src.lines]


def removed(src):
    return [(r.text, r.rule) for r in src.removed]


def with_furniture(before=(), inside=(), after=()):
    return [*before, *REPORT[:4], *inside, *REPORT[4:], *after]


# ---------------------------------------------------------------- decoding

@pytest.mark.parametrize("data", [
    "\n".join(REPORT).encode("utf-8"),
    b"\xef\xbb\xbf" + "\n".join(REPORT).encode("utf-8"),
    "\r\n".join(REPORT).encode("utf-8"),
    b"\xef\xbb\xbf" + "\r\n".join(REPORT).encode("utf-8") + b"\r\n",
], ids=["utf8", "utf8-bom", "crlf", "bom-crlf"])
def test_utf8_with_or_without_bom_lf_or_crlf_decode_alike(data):
    text, problem = ingest.decode(data, "seeds/t.txt")
    assert problem is None
    assert text.rstrip("\n").split("\n") == REPORT


def test_gbk_bytes_are_named_with_line_and_a_fix():
    data = "\n".join(REPORT).encode("gbk")
    text, problem = ingest.decode(data, "seeds/t.txt")
    assert text is None
    assert problem.file == "seeds/t.txt" and problem.line == 1
    assert "not UTF-8" in problem.message and "GBK" in problem.message and "iconv" in problem.hint
    assert "\n" not in str(problem)


def test_gbk_error_names_the_first_bad_line():
    data = "各位代表：\n".encode("utf-8") + "一、工作回顾\n".encode("gbk")
    _, problem = ingest.decode(data, "seeds/t.txt")
    assert problem.line == 2


@pytest.mark.parametrize("data, words", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"", "empty"),
    (b"\xef\xbb\xbf \r\n\t\n", "empty"),
    ("各位代表".encode("utf-16"), "UTF-16"),
])
def test_binary_empty_and_utf16_are_one_line_problems(data, words):
    text, problem = ingest.decode(data, "seeds/t.txt")
    assert text is None and words in problem.message and problem.file == "seeds/t.txt"
    assert "\n" not in str(problem)


def test_no_report_body_is_an_error_naming_file_and_what_was_expected(tmp_path):
    seed = tmp_path / "menu.txt"
    seed.write_text("首页\n>\n新闻中心\n分享到：\n扫一扫在手机打开当前页\n版权所有\n", encoding="utf-8")
    _, src, problems = ingest.ingest(seed, {}, "seeds/menu.txt")
    assert src is None and len(problems) == 1
    p = problems[0]
    assert p.severity == "error" and p.file == "seeds/menu.txt"
    assert "no report body found" in p.message and "各位代表" in p.message and "一、" in p.message


# ---------------------------------------------------------------- what belongs to the report is kept

def test_title_dateline_speaker_preamble_and_closing_appeal_are_kept():
    src = strip(["2026年山东省政府工作报告", "——2026年1月27日在山东省第十四届人民代表大会第四次会议上",
                 "山东省省长 周乃翔", "各位代表：", "现在，我代表省人民政府向大会报告工作，请予审议。",
                 "一、工作回顾", "各位代表！岱青海蓝绘盛景，奋楫扬帆启新程。"])
    assert [(s, kind) for _, s, kind in src.meta["header"]] == [
        ("2026年山东省政府工作报告", "title"),
        ("——2026年1月27日在山东省第十四届人民代表大会第四次会议上", "dateline"),
        ("山东省省长 周乃翔", "speaker")]
    assert body(src) == ["各位代表：", "现在，我代表省人民政府向大会报告工作，请予审议。", "一、工作回顾",
                         "各位代表！岱青海蓝绘盛景，奋楫扬帆启新程。"]
    assert src.removed == []


def test_dateline_in_brackets_with_chinese_numerals_and_date_line():
    src = strip(["（二〇二四年一月十五日在某市第十七届人民代表大会第四次会议上）", "2024年1月16日", *REPORT])
    kinds = [kind for _, _, kind in src.meta["header"]]
    assert kinds == ["dateline", "date", "title"]


# ---------------------------------------------------------------- each furniture rule

RULE_CASES = [
    # rule, lines before the report, lines inside it, lines after it
    ("breadcrumb", ["您的位置:", "首页", ">", "云南要闻", "云南要闻"], [], []),
    ("breadcrumb", ["网站首页 > 政务公开 > 政府工作报告"], [], []),
    ("font-size widget", ["【字号：", "加大", "还原", "减小", "】"], [], []),
    ("font-size widget", ["【字体：大 中 小】"], [], []),
    ("print widget", ["下载", "打印", "全屏", "收藏"], [], ["【打印】【关闭】"]),
    ("share widget", ["分享:"], [], ["分享到:", "分享到微信", "×"]),
    ("QR code", [], [], ["扫一扫在手机打开当前页"]),
    ("QR code", [], ["扫一扫在手机打开当前页"], []),
    ("editor", [], [], ["编辑：何继红"]),
    ("editor", [], ["（责任编辑：孙七）"], []),
    ("photo caption", [], ["图为某市新区建设现场。（记者 王五 摄）"], []),
    ("photo caption", ["省长赵刚作政府工作报告"], ["省长赵刚作政府工作报告"], []),
    ("photo caption", [], ["1月24日，省第十四届人民代表大会第二次会议开幕。记者 赵六 摄"], []),
    ("link to a special page", [], [], ["》》点击图片进入专题《《"]),
    ("related links", [], [], ["相关报道：", "一图读懂政府工作报告", "政府工作报告全文发布"]),
    ("related links", [], [], ["相关文档："]),
    ("site footer", [], [], ["版权所有：某市人民政府办公室", "网站标识码：1234567890", "本网站内容未经许可不得转载。"]),
    ("pagination", [], ["上一页 1 2 3 下一页"], []),
    ("full-text notice", ["以下为报告全文："], [], []),
    ("comment form", [], [], ["留言与评论(共有 条评论)", "验证码:"]),
    ("reprint disclaimer", [], [], ["本文仅代表作者观点,不代表本站立场。"]),
]


@pytest.mark.parametrize("rule, before, inside, after", RULE_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(RULE_CASES)])
def test_furniture_rule_removes_its_lines_wherever_they_stand(rule, before, inside, after):
    src = strip(with_furniture(before, inside, after))
    furniture = [*before, *inside, *after]
    assert body(src) == REPORT[1:]
    assert [text for text, _ in removed(src)] == furniture
    assert {name for _, name in removed(src)} == {rule}


@pytest.mark.parametrize("line, field, value", [
    ("来源：大众日报", "source_name", "大众日报"),
    ("（来源：青海日报）", "source_name", "青海日报"),
    ("2026-01-31 07:00:44", "published", "2026-01-31"),
    ("本文地址:/baogao/huadong/9851.html", "source_url", "/baogao/huadong/9851.html"),
    ("发布时间：2024-01-20 09:30  来源：某某日报  浏览次数：1523", "source_name", "某某日报"),
])
def test_metadata_lines_are_removed_and_captured(line, field, value):
    src = strip(with_furniture(before=[line]))
    assert body(src) == REPORT[1:]
    assert src.meta[field] == value
    assert [text for text, _ in removed(src)] == [line]


def test_label_alone_takes_the_next_line_as_its_value():
    src = strip(with_furniture(before=["时间：", "2026-02-02 09:20", "来源：", "陕西省人民政府"]))
    assert src.meta["source_name"] == "陕西省人民政府" and src.meta["published"] == "2026-02-02 09:20"
    assert body(src) == REPORT[1:]


def test_related_list_inside_the_text_stops_at_report_text_and_warns():
    src = strip(with_furniture(inside=["相关阅读：", "某省两会专题", "一图读懂政府工作报告"]))
    assert body(src) == REPORT[1:]
    assert [w for w in src.warnings if "related links" in w.hint]


def test_footer_words_before_the_text_do_not_swallow_the_report():
    src = strip(["网站地图 | 联系我们", *REPORT])
    assert body(src) == REPORT[1:]
    assert removed(src) == [("网站地图 | 联系我们", "header")]


def test_title_and_opening_repeated_by_the_scrape():
    lines = ["2024年某市政府工作报告", "——2024年1月15日在某市第十七届人民代表大会第四次会议上",
             "现在，我代表市人民政府，向大会报告工作，请予审议……", "2024年某市政府工作报告",
             "——2024年1月15日在某市第十七届人民代表大会第四次会议上", "各位代表：",
             "现在，我代表市人民政府，向大会报告工作，请予审议，并请市政协委员提出意见。", *REPORT[2:]]
    src = strip(lines)
    assert body(src) == ["各位代表：", lines[6], *REPORT[2:]]
    assert [rule for _, rule in removed(src)] == ["header", "repeated title", "repeated dateline"]


def test_a_paragraph_printed_twice_is_removed_once():
    src = strip(with_furniture(inside=[REPORT[3]]))
    assert body(src) == REPORT[1:]
    assert removed(src) == [(REPORT[3], "repeated line")]


def test_a_cut_off_summary_of_a_later_paragraph_is_removed():
    src = strip(with_furniture(inside=["实施重点项目200个，完成投资…", "实施重点项目200个，完成投资300亿元，增长8%。"]))
    assert removed(src) == [("实施重点项目200个，完成投资…", "repeated opening")]


def test_short_lines_after_the_last_sentence_are_a_trailer():
    src = strip(with_furniture(after=["两会进行时", "热点专题"]))
    assert body(src) == REPORT[1:]
    assert {rule for _, rule in removed(src)} == {"trailer"}


def test_prose_before_the_opening_is_removed_with_a_warning():
    lede = "1月24日，某市第十七届人民代表大会第四次会议开幕，市长李四代表市人民政府作报告。"
    src = strip([lede, *REPORT])
    assert body(src) == REPORT[1:]
    assert removed(src) == [(lede, "header")]
    assert any("rule `header`" in w.hint for w in src.warnings)


def test_opening_bracket_split_from_its_heading_is_joined():
    src = strip([*REPORT[:5], "（", "二）促进消费升级。开展促消费活动100场。", REPORT[5]])
    assert "（二）促进消费升级。开展促消费活动100场。" in body(src)
    assert any("rule `join`" in w.hint for w in src.warnings)


def test_bare_heading_marker_is_joined_to_its_title():
    src = strip([*REPORT[:2], "一、", "工作回顾", *REPORT[3:]])
    assert body(src)[1] == "一、工作回顾"


def test_lines_keep_their_seed_line_numbers():
    src = strip(with_furniture(before=["首页", ">"]))
    assert src.lines[0] == (4, "各位代表：")
    assert [r.line for r in src.removed] == [1, 2]


# ---------------------------------------------------------------- sidecar rules

def test_sidecar_adds_a_rule_without_code():
    src = strip(with_furniture(inside=["◆本报记者 整理"]), {"drop_pattern": [{"name": "byline", "pattern": "^◆本报记者"}]})
    assert removed(src) == [("◆本报记者 整理", "byline")]


def test_sidecar_disables_a_shipped_rule_by_name():
    src = strip(with_furniture(inside=["编辑：何继红"]), {"disable": ["editor"]})
    assert "编辑：何继红" in body(src)


def test_sidecar_keep_pattern_overrides_every_rule():
    src = strip(with_furniture(after=["编辑：何继红"]), {"keep_pattern": ["^编辑："]})
    assert body(src)[-1] == "编辑：何继红"


@pytest.mark.parametrize("furniture, words", [
    ({"drop_pattern": ["(unclosed"]}, "bad regular expression"),
    ({"drop_lines": ["x"]}, "unknown furniture rule list `drop_lines`"),
    ({"drop_pattern": "^x"}, "must be a list"),
    ({"disable": ["editors"]}, "names no rule: `editors`"),
])
def test_bad_sidecar_rules_name_the_sidecar(furniture, words):
    _, problems = furniture_rules.load_rules(furniture, "seeds/t.yml")
    assert problems and all(p.file == "seeds/t.yml" for p in problems)
    assert any(words in p.message for p in problems)


def test_every_shipped_rule_is_documented_in_furniture_yml():
    text = furniture_rules.RULES_FILE.read_text(encoding="utf-8")
    header = text.split("\njoin:", 1)[0]
    for key in furniture_rules.RULE_KEYS:
        if key not in ("keep_pattern", "disable"):
            assert f" {key}" in header, key
    for name in ("header", "repeated", "trailer", "breadcrumb"):
        assert name in header


# ---------------------------------------------------------------- bad seeds through the real front

BAD_SEEDS = {
    "gbk": ("\n".join(REPORT)).encode("gbk"),
    "binary": bytes(range(256)) * 4,
    "empty": b"",
    "no-report": "导航菜单\n首页\n>\n新闻\n分享到：\n扫一扫在手机打开当前页\n".encode("utf-8"),
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("ingest") / "project")
    first = run_build(project, "--quiet")
    assert first.returncode == 0, first.stderr
    return project


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("kind", sorted(BAD_SEEDS))
def test_bad_seed_fails_the_build_with_one_line_and_writes_nothing(generated, kind):
    before = snapshot(generated / "docs")
    seed = generated / "seeds" / f"bad-{kind}.txt"
    seed.write_bytes(BAD_SEEDS[kind])
    try:
        result = run_build(generated)
    finally:
        seed.unlink()
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"seeds/bad-{kind}.txt")
    assert "nothing was written" in result.stderr
    assert snapshot(generated / "docs") == before


def test_hard_wrapped_text_is_rejoined_into_paragraphs():
    wrapped = ["2024年某市政府工作报告", "各位代表：", "一、工作回顾"]
    paragraph = ("过去一年，面对复杂严峻的外部环境，我们坚持稳中求进工作总基调，全市经济社会发展取得新的成效，"
                 "地区生产总值增长百分之五点五，一般公共预算收入增长百分之六点二，城乡居民收入稳步增长，"
                 "新增城镇就业三万二千人，实际使用外资增长百分之十二，进出口总额增长百分之九，营商环境持续优化，"
                 "民生福祉不断增进，社会大局和谐稳定。")
    second = "今年是开局之年。" + paragraph[5:]
    for text in (paragraph, second):  # indented first line, then lines of the same width
        wrapped += ["　　" + text[:32]] + [text[i:i + 34] for i in range(32, len(text), 34)]
    wrapped += ["二、今年安排", "今年要坚持稳中求进。"]
    src = strip(wrapped)
    assert body(src) == ["各位代表：", "一、工作回顾", paragraph, second, "二、今年安排", "今年要坚持稳中求进。"]
    assert any("rule `wrapped lines`" in w.hint for w in src.warnings)


def test_paragraph_per_line_text_is_not_taken_for_wrapped():
    lines = ["（一）聚焦扩大内需，确保经济平稳运行", "扩大有效投资。深化项目推进年活动，带动投资增长。",
             "（二）强化科技创新，建设现代化产业体系", "推进数字化建设。积极融入全国数据中心协同创新体系。",
             "（三）推动城乡融合，促进百姓共同富裕了", "加快推进都市圈同城化。公共服务同步提升。",
             "（四）加强生态建设，推进发展方式转型了", "常态化整治突出问题。生态环境持续改善。",
             "（五）扩大内外开放，打造内陆开放高地了", "开展规范涉企行政执法专项行动。"]
    src = strip([*REPORT[:3], *lines])
    assert body(src)[2:] == lines
    assert not src.warnings


@pytest.mark.parametrize("text, width", [("", 0), ("abc", 3), ("中文", 4), ("a中b文c", 7), ("２０２４年", 10),
                                         ("Ünïcode 测试 ·—", 15), ("\U00020001x", 3), ("　　各位代表：", 14)])
def test_display_width_counts_wide_characters_twice(text, width):
    assert ingest.columns(text) == width
