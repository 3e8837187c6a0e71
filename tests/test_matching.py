"""Term matching in Chinese text: leftmost-longest, nested, quoted, Latin word edges, scope."""

from report_reader.matching import TermMatcher
from report_reader.model import Report, Scope, Term


def term(id_, text, variants=(), scope="all"):
    return Term(id=id_, term=text, english="", category="slogan", short="", scope=Scope.parse(scope), status="unverified",
                file="x", variants=list(variants))


def found(terms, text):
    return [(text[s:e], t, w) for s, e, t, w in TermMatcher(terms).find(text)]


def test_leftmost_longest_with_nested_recorded():
    terms = [term("zjtx", "专精特新"), term("xjr", "小巨人"), term("zjtx-xjr", "专精特新“小巨人”")]
    assert found(terms, "国家专精特新“小巨人”,省级专精特新、瞪羚") == [
        ("专精特新“小巨人”", "zjtx-xjr", ""),
        ("专精特新", "zjtx", "zjtx-xjr"),
        ("小巨人", "xjr", "zjtx-xjr"),
        ("专精特新", "zjtx", ""),
    ]


def test_abbr_style_word_boundaries_do_not_apply_to_han():
    """Python-Markdown's abbr needs \\b around a term; inside Han text there is none. Here there is."""
    assert found([term("zsyz", "招商引资")], "举办招商引资推介会") == [("招商引资", "zsyz", "")]


def test_quoted_form_is_marked_with_its_quotes():
    assert found([term("wxbz", "五项保障")], "夯实“五项保障”,协同") == [("“五项保障”", "wxbz", "")]


def test_a_form_written_in_quotes_is_marked_only_where_the_report_quotes_it():
    terms = [term("lz", "“两重”"), term("wl", "“五乱”", variants=["五乱"])]
    assert found(terms, "推进“两重”建设，辩证看待两重性") == [("“两重”", "lz", "")]
    assert found(terms, "“两重”") == [("“两重”", "lz", "")]
    # the same entry also written without quotes: marked either way
    assert found(terms, "整治五乱和「五乱」") == [("五乱", "wl", ""), ("「五乱」", "wl", "")]


def test_quotes_and_full_width_are_folded():
    terms = [term("sgjf", "“三公”经费", variants=["三公经费"]), term("n", "1+2+6+N")]
    assert found(terms, '严控"三公"经费和三公经费,推行1＋2＋6＋N体系') == [
        ('"三公"经费', "sgjf", ""), ("三公经费", "sgjf", ""), ("1＋2＋6＋N", "n", "")]


def test_latin_edges_keep_word_boundaries():
    assert found([term("n", "1+2+6+N")], "11+2+6+N 与 1+2+6+NX") == []


def test_partial_overlap_keeps_the_leftmost():
    terms = [term("a", "财源建设"), term("b", "建设提质")]
    assert found(terms, "财源建设提质增效") == [("财源建设", "a", "")]


def test_cost_does_not_depend_on_number_of_terms():
    """One automaton: a text with no match returns nothing whatever the number of terms."""
    many = [term(f"t{i}", f"词{i:04d}") for i in range(3000)]
    assert found(many, "全区新增纳税主体5400余家") == []
    assert found(many, "有词0042与词2999") == [("词0042", "t42", ""), ("词2999", "t2999", "")]


def test_scope_region_and_report():
    report = Report(id="r", title="", date="", region=["山东省", "济南市", "天桥区"], issuer="", source_url="",
                    source_name="", frontmatter=[], sections=[], source=None)
    assert term("a", "甲", scope="region:山东省济南市").applies_to(report)
    assert not term("a", "甲", scope="region:云南省").applies_to(report)
    assert term("a", "甲", scope="report:r").applies_to(report)
    assert not term("a", "甲", scope="report:other").applies_to(report)


def test_occurrences_come_in_reading_order():
    """Pages list a report's terms in order of first use straight from this order, unsorted."""
    from pathlib import Path

    from report_reader import annotations, pipeline
    from report_reader.matching import find_occurrences

    root = Path(__file__).resolve().parent.parent
    project, problems = pipeline.Project(root), []
    terms = annotations.load_terms(project.annotations / "terms", problems, root)
    _, report = pipeline.read_report(project, root / "seeds" / "jinan-tianqiao-2024.txt", problems)
    found = find_occurrences(report, terms, {})
    order = {s.slug: i for i, s in enumerate(report.sections)}
    assert len(found) > 50 and any(o[5] for o in found)  # nested ones too
    assert found == sorted(found, key=lambda o: (order[o[1]], o[2], o[3]))
