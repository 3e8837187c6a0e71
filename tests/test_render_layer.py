"""The render layer's own contracts: no lookup shares a namespace with report ids, span producers
are registered by name and priority, earlier stages never import later ones, and page templates
escape what they are given."""

import ast
import shutil

from conftest import ROOT, copy_project
from report_reader import pipeline
from report_reader.render import spans
from report_reader.render.html import Span
from report_reader.render.pages import render

REPORT = "jinan-tianqiao-2024"


def test_reports_named_like_internal_tables_build(tmp_path):
    """Report ids once shared a dict with the names of cached lookups: a seed named ranks.txt crashed."""
    project = copy_project(tmp_path / "p")
    for name in ["ranks"]:  # the one such name that is also a valid report id
        shutil.copy(project / "seeds" / f"{REPORT}.txt", project / "seeds" / f"{name}.txt")
    result = pipeline.build(project, jobs=1)
    assert not result.errors, result.errors
    for name in ["ranks"]:
        assert f"reports/{name}/index.md" in result.outputs
        assert b'class="rr-term"' in result.outputs[f"reports/{name}/s0/index.md"]


def test_span_producers_run_by_priority_and_a_new_one_marks_words(monkeypatch):
    registry = spans.Registry()
    for name, priority, rank in [("b", 10, 5), ("a", 30, 2), ("c", 20, 1)]:
        registry.register(name, lambda place, taken, rank: [], priority, rank)
    assert registry.names() == ["a", "c", "b"]
    registry.deregister("c")
    assert registry.names() == ["a", "b"]

    def figures(place, taken, rank):  # a feature of its own: mark every 亿元
        text = place.paragraph.text[place.offset:place.offset + place.length]
        at = text.find("亿元")
        return [] if at < 0 else [Span(at, at + 2, '<span class="rr-figure">', "</span>", rank)]
    extended = spans.Registry()
    for item in spans.SPANS:
        extended.register(item.name, item.produce, item.priority, item.rank)
    extended.register("figures", figures, priority=5, rank=6)
    monkeypatch.setattr(spans, "SPANS", extended)
    result = pipeline.build(ROOT, jobs=1)
    page = result.outputs[f"reports/{REPORT}/s0/index.md"].decode("utf-8")
    assert '<span class="rr-figure">亿元</span>' in page
    assert 'class="rr-term"' in page  # the registered producers still run


STAGES = ["ingest", "structure", "official_glossary", "annotations", "matching", "model"]


def test_no_earlier_stage_imports_a_later_one():
    for stage in STAGES:
        tree = ast.parse((ROOT / "report_reader" / f"{stage}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                assert not module.startswith(("render", "layout", "pipeline", "write")), (stage, module)
    for path in (ROOT / "report_reader" / "layout").glob("*.py"):
        assert "render" not in "".join(
            n.module or "" for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.ImportFrom)), path


def test_templates_escape_what_they_are_given():
    from markupsafe import Markup
    page = render("section.md", front=Markup("---\n---\n\n"), landing_href='x"><script>', report_title="<b>t</b>",
                  title=Markup("T"), excerpt=False, body=Markup("<p>ok</p>"), term_list="", notes="", prev=None,
                  next={"href": "../s1/", "title": "<img src=x onerror=alert(1)>"})
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert 'href="x&quot;&gt;&lt;script&gt;"' in page and "&lt;img src=x onerror=alert(1)&gt; →" in page
    assert "<p>ok</p>" in page  # a trusted fragment, passed as Markup, as it is


HOSTILE = ['</title><script>alert(1)</script>', 'a: b #c', '“引号” "q" \\ \'x\' ：', '- dash', '[1] {2}', 'true', '0x1F',
           '{{ x }}', '&amp; &lt;', '多行\n文字', '\t tab']


def test_front_matter_reads_back_with_the_title_escaped():
    import html
    import yaml
    from report_reader.render.pages import front
    for title in HOSTILE:
        meta = {"title": title, "search": {"boost": 0.00001, "exclude": True}, "edit_url": "https://x/" + title}
        text = str(front(meta))
        data = yaml.safe_load(text.split("---\n")[1])
        assert data == {**meta, "title": html.escape(title)}, title


def test_navigation_titles_read_back_escaped():
    import html
    import yaml
    from report_reader.layout.nav import _escaped, nav_yaml
    tree = [{t: [{t + "2": "x.md"}, "y.md"]} for t in HOSTILE]
    back = yaml.safe_load(nav_yaml(_escaped(tree)))
    assert back == [{html.escape(t): [{html.escape(t + "2"): "x.md"}, "y.md"]} for t in HOSTILE]
