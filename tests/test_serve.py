"""The contributor's loop: `make serve` on a copy of the project; an edited term, an edited seed and a
broken annotation each show in the served page, and the preview recovers once the file is fixed.
Polls without a timing assertion (the bench measures time); the bound only keeps a hung server from
hanging the suite."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import SHARED, copy_project

BOUND = 300  # seconds: a hung preview, not a slow one


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, predicate, server) -> str:
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        assert server.poll() is None, "the preview stopped"
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                body = response.read().decode("utf-8")
            if predicate(body):
                return body
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    pytest.fail(f"{url} never showed the change")


@pytest.fixture
def preview(tmp_path):
    project = copy_project(tmp_path / "p")
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(project)}
    log = open(tmp_path / "serve.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "report_reader.serve", "--root", str(project), "--port", str(port)],
                              cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield project, f"http://127.0.0.1:{port}/report-reader/", server
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    # Where it serves, as `make serve` prints it; stopped like Ctrl-C, MkDocs' temporary site removed.
    printed = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert f"Preview: http://127.0.0.1:{port}/report-reader/ (Ctrl-C to stop)" in printed
    assert server.returncode == 0, printed[-2000:]


def _reload_epoch(body: str) -> tuple[int, int]:
    """The build a served page comes from, as MkDocs' reload script asks the server about it."""
    epoch, request = re.search(r"livereload\((\d+), (\d+)\);", body).groups()
    return int(epoch), int(request)


def _reload_answer(base: str, epoch: int, request: int) -> int:
    """What the reload script's long poll hears: a newer build's epoch makes the browser reload."""
    origin = base.split("/report-reader/")[0]
    with urllib.request.urlopen(f"{origin}/livereload/{epoch}/{request}", timeout=BOUND) as response:
        return int(response.read())


def test_edits_to_terms_and_seeds_show_and_a_broken_file_is_shown_then_recovered(preview):
    project, base, server = preview
    section = base + "reports/jinan-tianqiao-2024/s3/"
    epoch, request = _reload_epoch(_wait_for(section, lambda body: "前清后增" in body, server))

    term = project / "annotations" / "terms" / "chai-wei-kong-wei.yml"
    text = term.read_text(encoding="utf-8")
    short = next(line for line in text.splitlines() if line.startswith("short:"))
    term.write_text(text.replace(short, "short: 预览测试：拆除违法建设并防止新增"), encoding="utf-8")
    _wait_for(section, lambda body: "预览测试：拆除违法建设并防止新增" in body, server)
    assert _reload_answer(base, epoch, request) > epoch  # an open page reloads

    seed = project / "seeds" / "jinan-tianqiao-2024.txt"
    seed.write_bytes(seed.read_bytes().replace("积蓄强区建设新势能".encode(), "积蓄强区建设新动能".encode(), 1))
    _wait_for(section, lambda body: "积蓄强区建设新动能" in body, server)

    term.write_text(text.replace(short, "short: [unclosed"), encoding="utf-8")
    broken = _wait_for(section, lambda body: "rr-build-problems" in body, server)
    assert "annotations/terms/chai-wei-kong-wei.yml" in broken
    assert "积蓄强区建设新动能" in broken  # the last good page, under the banner

    term.write_text(text, encoding="utf-8")
    _wait_for(section, lambda body: "rr-build-problems" not in body and "预览测试" not in body, server)


def test_the_page_being_read_is_rendered_first_and_no_other_is_served_stale(preview, tmp_path):
    """A definition shows on every section using the term: the preview renders the page a browser
    shows first and reloads it, then the others, which are not served until they are rendered."""
    project, base, server = preview
    reports = base + "reports/jinan-tianqiao-2024/"
    shown = _wait_for(reports + "s3/", lambda body: "名泉" in body, server)
    epoch, request = _reload_epoch(shown)
    term = project / "annotations" / "terms" / "ming-quan.yml"  # used in s0 and s3
    text = term.read_text(encoding="utf-8")
    short = next(line for line in text.splitlines() if line.startswith("short:"))
    term.write_text(text.replace(short, "short: 先显示测试释义"), encoding="utf-8")
    assert _reload_answer(base, epoch, request) > epoch
    assert "先显示测试释义" in _get(reports + "s3/").decode("utf-8")
    assert "先显示测试释义" in _get(reports + "s0/").decode("utf-8")  # never the page before the edit
    assert "先显示测试释义" in _get(reports + "glossary/").decode("utf-8")
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "Shown first: reports/jinan-tianqiao-2024/s3/index.html;" in log, log[-3000:]


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def _search_pages(base: str) -> dict[str, str]:
    """The served Pagefind index: each indexed page's address and text. The language's metadata
    names the fragments (gzipped JSON behind a signature, one per page) among its index chunks;
    Pagefind marks its word breaks with U+200B. While Pagefind rewrites the bundle a read can fail:
    the caller asks again."""
    entry = json.loads(_get(base + "pagefind/pagefind-entry.json"))
    language = entry["languages"]["zh"]["hash"]
    meta = gzip.decompress(_get(base + f"pagefind/pagefind.{language}.pf_meta"))
    pages = {}
    for name in sorted({m.decode() for m in re.findall(rb"zh_[0-9a-f]{7,}", meta)} - {language}):
        try:
            fragment = gzip.decompress(_get(base + f"pagefind/fragment/{name}.pf_fragment"))
        except urllib.error.HTTPError:
            continue  # an index chunk, not a page
        record = json.loads(fragment.removeprefix(b"pagefind_dcd"))
        pages[record["url"]] = record["content"].replace("\u200b", "")
    return pages


def _search_pages_when(base: str, predicate, server) -> dict[str, str]:
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        assert server.poll() is None, "the preview stopped"
        try:
            pages = _search_pages(base)
            if predicate(pages):
                return pages
        except (OSError, ValueError, KeyError, EOFError):
            pass  # not indexed yet, or being rewritten
        time.sleep(0.3)
    pytest.fail("the preview's search index never showed the change")


def _without_reload(body: str) -> str:
    return body[:body.rindex("<script")]


def test_the_dirty_preview_keeps_search_and_navigation_whole(preview):
    """The preview re-renders only changed pages; the others must still be served, with the whole
    navigation, and search must keep finding every page. hooks/preview_pagefind.py indexes the
    served site after each build; a term's definition is indexed on its glossary entry only (term
    lists stay out of search), and an edit to it must replace the old text there."""
    project, base, server = preview
    reports = base + "reports/jinan-tianqiao-2024/"
    _wait_for(reports + "s3/", lambda body: "前清后增" in body, server)
    unedited = _wait_for(reports + "figures/", lambda body: "md-nav--primary" in body, server)
    term = project / "annotations" / "terms" / "chai-wei-kong-wei.yml"
    text = term.read_text(encoding="utf-8")
    short = next(line for line in text.splitlines() if line.startswith("short:"))
    old = short.partition(":")[2].strip()
    before = _search_pages_when(base, lambda pages: any(old in t for t in pages.values()), server)
    defined_on = sorted(u for u, t in before.items() if old in t)
    assert defined_on == ["/reports/glossary/"]

    term.write_text(text.replace(short, "short: 预览测试释义"), encoding="utf-8")
    after = _search_pages_when(base, lambda pages: sorted(u for u, t in pages.items() if "预览测试释义" in t) == defined_on,
                               server)
    assert not [u for u, t in after.items() if old in t], "a rebuilt page's old text is still indexed"
    assert sorted(after) == sorted(before), "pages lost or added"
    # Not rebuilt, and whole: the same page but for the livereload script, which counts the builds.
    assert _without_reload(_wait_for(reports + "figures/", bool, server)) == _without_reload(unedited)

    shutil.copy(SHARED / "corpus" / "qinghai-2026.txt", project / "seeds" / "qinghai-2026.txt")
    assert "qinghai-2026/" not in unedited
    _wait_for(reports + "figures/", lambda body: 'href="../../qinghai-2026/"' in body, server)  # in its navigation

    config = project / "mkdocs.yml"  # the preview reads its settings again once they change
    saved = project / "mkdocs.yml.new"  # saved as many editors do: a new file renamed over the old
    saved.write_text(config.read_text(encoding="utf-8").replace("site_name: 政府工作报告阅读器", "site_name: 预览站名测试"),
                     encoding="utf-8")
    os.replace(saved, config)
    _wait_for(reports + "figures/", lambda body: "预览站名测试" in body, server)

    template = project / "overrides" / "main.html"  # a theme template: every page, compiled anew
    template.write_text(template.read_text(encoding="utf-8").replace("生成日期：", "预览模板测试 生成日期："), encoding="utf-8")
    _wait_for(reports + "figures/", lambda body: "预览模板测试" in body, server)


def test_a_taken_port_is_named_without_a_traceback(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run([sys.executable, "-m", "report_reader.serve", "--root", str(tmp_path), "--port", str(port)],
                             capture_output=True, text=True, timeout=BOUND)
    assert run.returncode == 1
    assert f"127.0.0.1:{port}: error: cannot serve there" in run.stderr and f"PORT={port + 1}" in run.stderr
    assert "Traceback" not in run.stderr


def test_the_banner_escapes_the_problems_it_names():
    from report_reader.render.templating import render

    shown = render("build_problems.html", problems=['seeds/<img src=x onerror="alert(1)">.txt:1: error: bad — fix'])
    assert "<img" not in shown and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in shown
