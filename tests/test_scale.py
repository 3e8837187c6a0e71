"""What keeps a large site fast and light: glossaries cut into pages by initial, and per-report work
spread over processes without changing a byte of output."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_build
from report_reader import parallel, pipeline
from report_reader.layout import paging
from report_reader.render import pages as render_pages
from report_reader.layout.urls import rel


# ---------------------------------------------------------------- pagination, alone

def cut(entries: list[tuple[str, int]], budget: int) -> paging.Paging:
    """entries: (name, size); a name's first letter is its initial."""
    return paging.paginate("g", entries, [e[0] for e in entries], [e[0][0].upper() for e in entries],
                           [e[1] for e in entries], budget=budget)


def test_a_short_list_is_one_page_at_the_usual_address():
    p = cut([("a1", 10), ("b1", 10)], budget=100)
    assert [page.path for page in p.pages] == ["g/index.md"]
    assert p.page_of == {"a1": "g/index.md", "b1": "g/index.md"}
    assert p.pages[0].label == "A–B"


def test_whole_letters_share_a_page_while_they_fit():
    p = cut([("a1", 40), ("a2", 40), ("b1", 30), ("c1", 50), ("d1", 40)], budget=100)
    assert [[c for c, _ in page.groups] for page in p.pages] == [["A"], ["B", "C"], ["D"]]
    assert [page.path for page in p.pages] == ["g/index.md", "g-b/index.md", "g-d/index.md"]
    assert p.letter_page == {"A": "g/index.md", "B": "g-b/index.md", "C": "g-b/index.md", "D": "g-d/index.md"}


def test_a_letter_longer_than_a_page_is_split_between_entries():
    p = cut([("a1", 10), ("s1", 60), ("s2", 60), ("s3", 60), ("t1", 10)], budget=100)
    assert [page.path for page in p.pages] == ["g/index.md", "g-s/index.md", "g-s2/index.md", "g-s3/index.md"]
    assert [page.continued for page in p.pages] == ["", "", "S", "S"]
    assert p.page_of["s3"] == "g-s3/index.md" and p.page_of["t1"] == "g-s3/index.md"
    assert all(page.size <= 100 for page in p.pages)
    assert p.letter_page["S"] == "g-s/index.md"


def test_an_empty_list_is_one_empty_page():
    p = cut([], budget=100)
    assert [page.path for page in p.pages] == ["g/index.md"] and p.pages[0].groups == []


def test_navigation_yaml_reads_back_as_the_tree_it_was_written_from():
    import yaml
    from report_reader.layout import nav
    tree = [{"首页": "index.md"},
            {"a: b #c": ["x.md", {"“引号” \"q\" \\ 'x' ：": "y y.md"}, {"- dash": [{"[1] {2}": "z.md"}]}]},
            {"true": "null"}, {"123": "0x1F"}]
    assert yaml.safe_load(nav.nav_yaml(tree)) == tree


def _report(id_, region, date):
    from report_reader.model import Report
    return Report(id=id_, title="", date=date, region=region, issuer="", source_url="", source_name="",
                  frontmatter=[], sections=[], source=None)


def test_a_large_branch_of_the_navigation_is_split_by_city_then_district_then_year(monkeypatch):
    """Each page carries the links of its navigation path: every district of a province, ten years
    each, must not hang in one list."""
    from report_reader.layout import nav as pages
    monkeypatch.setattr(pages, "_report_nav", lambda site, r: r.id)
    few = [_report(f"d{i}", ["山东省", "济南市", f"区{i}"], "2024-01-10") for i in range(pages.NAV_BRANCH)]
    assert pages.report_branch(None, few, 1) == sorted(r.id for r in few)  # small: listed as before

    province = [_report("sd-2024", ["山东省"], "2024-01-20")]
    province += [_report(f"jn-{d}-{y}", ["山东省", "济南市", d], f"{y}-01-10") for d in ("历下区", "天桥区") for y in range(2015, 2026)]
    province += [_report(f"qd-{y}", ["山东省", "青岛市"], f"{y}-01-12") for y in range(2020, 2025)]
    tree = pages.report_branch(None, province, 1)
    assert tree[0] == "sd-2024"  # the province's own report, then its cities
    assert [next(iter(b)) for b in tree[1:]] == ["济南市", "青岛市"]
    jinan = tree[1]["济南市"]
    assert [next(iter(b)) for b in jinan] == ["历下区", "天桥区"]  # 22 reports: one branch per district
    assert jinan[1]["天桥区"] == [f"jn-天桥区-{y}" for y in range(2015, 2026)]
    assert tree[2]["青岛市"] == [f"qd-{y}" for y in range(2020, 2025)]

    one_place = [_report(f"tq-{y}", ["山东省", "济南市", "天桥区"], f"{y}-01-10") for y in range(2000, 2025)]
    by_year = pages.report_branch(None, one_place, 1)  # one city, one district: by year, the latest first
    assert [next(iter(b)) for b in by_year] == [f"{y}年" for y in range(2024, 1999, -1)]
    assert by_year[0] == {"2024年": ["tq-2024"]}
    undated = pages.report_branch(None, one_place + [_report("tq-x", ["山东省", "济南市", "天桥区"], "")], 1)
    assert undated[-1] == {"未识别年份": ["tq-x"]}  # an unknown year last, as on the home page


# ---------------------------------------------------------------- processes, alone

def _pid(_state, item):
    return item, os.getpid()


def test_fork_map_keeps_order_and_really_uses_processes():
    items = list(range(40))
    out = parallel.fork_map(_pid, None, items, jobs=2)
    assert [i for i, _ in out] == items
    assert os.getpid() not in {pid for _, pid in out}
    serial = parallel.fork_map(_pid, None, items, jobs=1)
    assert {pid for _, pid in serial} == {os.getpid()}


def _keep(_state, local, item):
    local.setdefault("held", []).append(item)
    return item * 10, os.getpid()


def _held(_state, local, _arg):
    return os.getpid(), local.get("held", [])


def _fail_on(_state, local, item):
    if item == 7:
        raise ValueError("item 7 is bad")
    return item


def test_workers_keep_what_they_computed_for_the_next_call():
    items = list(range(30))
    with parallel.Workers(2, None) as workers:
        out = workers.map(_keep, items)
        assert [x for x, _ in out] == [i * 10 for i in items]  # input order, whoever computed it
        held = workers.each(_held, None)
    assert len(held) == 2 and os.getpid() not in {pid for pid, _ in held}
    # every item is held by exactly the worker that computed it
    assert sorted(i for _, items_held in held for i in items_held) == items
    for pid, items_held in held:
        assert items_held and {i for i, (_, p) in zip(items, out) if p == pid} == set(items_held)


def test_workers_in_one_process_take_the_same_calls():
    with parallel.Workers(1, None) as workers:
        assert workers.map(_keep, [1, 2]) == [(10, os.getpid()), (20, os.getpid())]
        assert workers.each(_held, None) == [(os.getpid(), [1, 2])]


def test_a_worker_error_is_raised_after_every_worker_answered_and_they_still_work():
    with parallel.Workers(2, None) as workers:
        with pytest.raises(ValueError, match="item 7 is bad"):
            workers.map(_fail_on, list(range(20)))
        assert workers.map(_fail_on, [1, 2, 3]) == [1, 2, 3]  # no answer was left unread


def _mine_or_taken(_state, local, item):
    """Says whether this worker had the item from an earlier call, or took it from another."""
    return item, os.getpid(), item in local.get("held", [])


def test_workers_take_their_own_items_first_then_the_others_last_ones():
    items = list(range(30))
    with parallel.Workers(2, None) as workers:
        workers.map(_keep, items)
        held = workers.placed
        # everything is said to be worker 0's: worker 1 can only take over items from the end
        out = workers.map(_mine_or_taken, items, owners=[0] * len(items))
        assert [i for i, _, _ in out] == items
        # worker 0 takes from the front of its list, worker 1 from the back: 0 … 0 1 … 1
        assert workers.placed == sorted(workers.placed) and workers.placed[0] == 0 and workers.placed[-1] == 1
        # with the true owners, an item runs where it is held unless its holder had run out of work
        out = workers.map(_mine_or_taken, items, owners=held)
        assert [mine for _, _, mine in out] == [w == h for w, h in zip(workers.placed, held)]
        assert any(mine for _, _, mine in out)


def test_steps_run_while_workers_work_and_a_failing_step_is_raised_after_they_answered():
    done = []
    with parallel.Workers(2, None) as workers:
        out = workers.map(_keep, list(range(20)), meanwhile=(lambda k=k: done.append(k) for k in range(5)))
        assert [x for x, _ in out] == [i * 10 for i in range(20)] and done == list(range(5))

        # steps slower than the workers: every one still runs, after the workers have finished
        done.clear()
        workers.map(_keep, list(range(10)), meanwhile=(lambda k=k: (time.sleep(0.01), done.append(k)) for k in range(30)))
        assert done == list(range(30))

        def bad():
            raise ValueError("step failed")
        with pytest.raises(ValueError, match="step failed"):
            workers.map(_keep, list(range(20)), meanwhile=[bad])
        assert workers.map(_fail_on, [1, 2, 3]) == [1, 2, 3]  # no answer was left unread
    with parallel.Workers(1, None) as workers:
        done.clear()
        assert workers.map(_keep, [1], meanwhile=[lambda: done.append("x")]) == [(10, os.getpid())] and done == ["x"]


# ---------------------------------------------------------------- end to end

def many_reports(dest: Path, copies: int) -> Path:
    """The project with the seed copied under other names: enough reports for the process pool."""
    project = copy_project(dest)
    seed = (ROOT / "seeds" / "jinan-tianqiao-2024.txt").read_bytes()
    for k in range(copies):
        (project / "seeds" / f"jinan-tianqiao-2024-copy{k:02d}.txt").write_bytes(seed)
    return project


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_output_does_not_depend_on_the_number_of_processes(tmp_path):
    one = many_reports(tmp_path / "one", 11)
    two = many_reports(tmp_path / "two", 11)
    assert run_build(one, "--quiet", "--jobs", "1").returncode == 0
    result = run_build(two, "--quiet", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    a, b = tree(one / "docs"), tree(two / "docs")
    assert len(a) > 12 * 6 and a == b
    shutil.rmtree(two / ".cache")  # a full build again, not the manifest's shortcut
    again = run_build(two, "--quiet", "--jobs", "2")
    assert re.search(r"docs/: 0 written, \d+ unchanged, 0 removed", again.stdout), again.stdout


def test_errors_found_in_a_worker_stop_the_build_before_anything_is_written(tmp_path):
    project = many_reports(tmp_path / "p", 11)
    note = project / "annotations" / "notes" / "jinan-tianqiao-2024-copy05"
    note.mkdir(parents=True)
    (note / "bad.yml").write_text("report: jinan-tianqiao-2024-copy05\nquote: 这句话不在报告里\nbody: 说明\n"
                                  "sources:\n  - title: 某页\n    url: https://example.org/\n", encoding="utf-8")
    result = run_build(project, "--quiet", "--jobs", "2")
    assert result.returncode == 1
    assert "annotations/notes/jinan-tianqiao-2024-copy05/bad.yml" in result.stderr and "quote not found" in result.stderr
    assert not (project / "docs" / "reports").exists()


def test_a_failure_while_rendering_leaves_docs_as_it_was(tmp_path, monkeypatch):
    project = many_reports(tmp_path / "p", 11)
    assert run_build(project, "--quiet", "--jobs", "2").returncode == 0
    before = tree(project / "docs")
    seed = project / "seeds" / "jinan-tianqiao-2024-copy03.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("天桥区", "天桥 区", 3), encoding="utf-8")

    real = render_pages.print_page

    def print_page(site, report):  # one report's print page fails, in whichever worker holds it
        if report.id == "jinan-tianqiao-2024-copy07":
            raise RuntimeError("print page failed")
        return real(site, report)
    monkeypatch.setattr(render_pages, "print_page", print_page)
    with pytest.raises(RuntimeError, match="print page failed"):
        pipeline.build(project, jobs=2, docs=project / "docs")
    assert tree(project / "docs") == before  # no page changed, no temporary file left behind
    monkeypatch.setattr(render_pages, "print_page", real)
    result = pipeline.build(project, jobs=2, docs=project / "docs")
    assert "reports/jinan-tianqiao-2024-copy03/raw.txt" in result.written.written
    assert not any("/.tmp-" in p for p in tree(project / "docs"))


def test_a_glossary_longer_than_a_page_is_cut_and_every_link_still_lands(monkeypatch):
    monkeypatch.setattr(paging, "BUDGET", 6000)
    result = pipeline.build(ROOT)
    assert not result.errors
    outputs = dict(result.outputs)
    report_pages = sorted(p for p in outputs if re.fullmatch(r"reports/jinan-tianqiao-2024/glossary(-\w+)?/index\.md", p))
    shared_pages = sorted(p for p in outputs if re.fullmatch(r"reports/glossary(-\w+)?/index\.md", p))
    index_pages = sorted(p for p in outputs if re.fullmatch(r"reports/terms(-\w+)?/index\.md", p))
    assert len(report_pages) > 1 and len(shared_pages) > 3 and len(index_pages) > 1
    nav = outputs["reports/.nav.yml"].decode("utf-8")
    assert all(p in nav for p in report_pages + shared_pages + index_pages)
    texts = {p: d.decode("utf-8") for p, d in outputs.items() if p.endswith(".md")}
    checked = 0
    for page, text in texts.items():
        for href in re.findall(r'href="([^"#:]*)#([^"]+)"', text):
            target = next((t for t in _resolve(page, href[0]) if t in texts), None)
            if target is None:
                continue  # a hand-written page (contributing) or an asset
            assert f'id="{href[1]}"' in texts[target] or f"{{#{href[1]}" in texts[target], (page, href)
            checked += 1
    assert checked > 500


def _resolve(page: str, url: str) -> list[str]:
    """The docs paths a relative directory URL on `page` may point at (a.md or a/index.md)."""
    if not url:
        return [page]
    base = page[:-3] if not page.endswith("index.md") else page[:-len("index.md")]
    parts = [p for p in base.split("/") if p]
    for piece in url.rstrip("/").split("/"):
        if piece == "..":
            parts.pop()
        elif piece:
            parts.append(piece)
    path = "/".join(parts)
    return [f"{path}.md", f"{path}/index.md"] if path else ["index.md"]


def test_resolve_is_the_inverse_of_rel():
    for page, target in [("reports/x/s1/index.md", "reports/glossary-s/index.md"),
                         ("reports/terms-b/index.md", "reports/x/glossary/index.md"),
                         ("reports/x/glossary/index.md", "reports/x/glossary-g/index.md"), ("index.md", "contributing.md")]:
        assert target in _resolve(page, rel(page, target))


def test_reports_rendered_by_a_worker_that_did_not_analyse_them_come_out_the_same(tmp_path, monkeypatch):
    project = many_reports(tmp_path / "p", 11)
    serial = pipeline.build(project, jobs=1)
    real_attach = pipeline.attach

    def swapped(*args, **kwargs):
        site, workers = real_attach(*args, **kwargs)
        assert set(site.holders.values()) == {0, 1}
        site.holders = {r: 1 - w for r, w in site.holders.items()}  # each report sent to the other worker
        return site, workers
    monkeypatch.setattr(pipeline, "attach", swapped)
    result = pipeline.build(project, jobs=2)
    assert not result.errors and result.outputs == serial.outputs
