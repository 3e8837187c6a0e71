"""Shared fixtures: a real build of the project into a temporary copy, a local HTTP server for the
built site, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("REPORT_READER_SHARED", ROOT.parent / "shared"))  # beside the project, as in CI
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
COPY = ["seeds", "annotations", "docs", "overrides", "hooks", "report_reader", "mkdocs.yml", "pagefind.yml", "build_docs.py"]


def copy_project(dest: Path, with_generated: bool = False) -> Path:
    """The project's hand-written files in a fresh folder, so a test can change or build them freely."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            ignore = shutil.ignore_patterns("__pycache__") if with_generated else \
                shutil.ignore_patterns("__pycache__", "reports")
            shutil.copytree(src, dest / name, ignore=ignore)
        else:
            shutil.copy2(src, dest / name)
    generated_index = dest / "docs" / "index.md"
    if not with_generated and generated_index.exists():
        generated_index.unlink()
    return dest


def run_build(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(project / "build_docs.py"), "--root", str(project), *args],
                          capture_output=True, text=True, cwd=project)


def run_mkdocs(project: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
                          capture_output=True, text=True, cwd=project, env=env)


def run_pagefind(project: Path) -> subprocess.CompletedProcess:
    """The search index, as `make site` builds it after MkDocs: site/pagefind/ (pagefind.yml)."""
    return subprocess.run([sys.executable, "-m", "pagefind", "--quiet"], capture_output=True, text=True, cwd=project)


def build_site(project: Path) -> None:
    """`make site` on a generated project: MkDocs, then Pagefind."""
    built = run_mkdocs(project)
    assert built.returncode == 0, built.stderr + built.stdout
    indexed = run_pagefind(project)
    assert indexed.returncode == 0, indexed.stderr + indexed.stdout


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """The real project, generated and built with `mkdocs build --strict` once per test session."""
    project = copy_project(tmp_path_factory.mktemp("site") / "project")
    gen = run_build(project, "--quiet")
    assert gen.returncode == 0, gen.stderr
    build_site(project)
    return project


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve_site(folder: Path):
    """A built site served on a free loopback port while the block runs; yields its address."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory) -> Path:
    """The seed and the shared corpus's reports (../shared/corpus/), generated and built once per
    test session: a site of several reports, as readers search it."""
    corpus = sorted((SHARED / "corpus").glob("*.txt"))
    if not corpus:
        if os.environ.get("CI"):
            pytest.fail("CI runs beside ../shared/corpus/; it is missing")
        pytest.skip("../shared/corpus/ is not there")
    project = copy_project(tmp_path_factory.mktemp("corpus-site") / "project")
    for seed in corpus:
        shutil.copy(seed, project / "seeds" / seed.name)
    gen = run_build(project, "--quiet")
    assert gen.returncode == 0, gen.stderr
    build_site(project)
    return project


def open_search(page) -> None:
    """Open the header's search dialog as a reader does: the button, then the field has focus."""
    page.click("button.rr-search-open")
    page.wait_for_function("() => document.getElementById('rr-search').open"
                           " && document.activeElement.matches('.rr-search__field')")


def search_results(page, url: str, query: str) -> list[dict]:
    """Open `url`, type the query in the header's search as a reader does, and read the results once
    the dialog says how many it found (the status line changes only when a search has finished).
    Each result: its address, title, report, part (a lead or sub-heading) and excerpt; `marked`, the
    excerpt's marked words."""
    page.goto(url)
    open_search(page)
    page.fill(".rr-search__field", query)
    page.wait_for_function("""q => {
        const s = document.querySelector('.rr-search__status').textContent;
        return (s.includes('“' + q + '”') && !s.startsWith('正在')) || s.startsWith('搜索暂不可用');
    }""", arg=query, timeout=60000)
    return page.eval_on_selector_all(".rr-search__result", """els => els.map(li => {
        const a = li.querySelector('a'), text = sel => (a.querySelector(sel) || {}).textContent || '';
        const excerpt = li.querySelector('.rr-search__excerpt');
        return {href: a.href, title: text('.rr-search__title'), report: text('.rr-search__report'),
                part: text('.rr-search__part'), excerpt: excerpt.textContent,
                marked: [...excerpt.querySelectorAll('mark')].map(m => m.textContent)};
    })""")


@pytest.fixture(scope="session")
def site_url(built_project) -> str:
    with serve_site(built_project / "site") as url:
        yield url


AXE = ROOT / "tools/axe/node_modules/axe-core/axe.min.js"


def axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must install tools/axe (see .ci/run)")
        pytest.skip("tools/axe/node_modules missing: run `npm ci --prefix tools/axe` (.ci/run does)")
    return AXE.read_text(encoding="utf-8")


def axe_violations(page, source: str) -> list[str]:
    """axe-core's WCAG 2 A/AA violations on the page as it is now, one line each."""
    page.add_script_tag(content=source)
    return page.evaluate("""async () => (await axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations.map(v =>
        v.id + ' ×' + v.nodes.length + ': ' + v.nodes[0].target.join(' '))""")


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (apt-get install chromium)")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, site_url):
    """A fresh page that records every request, so a test can tell whether another host was asked."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.requests_seen = []
    pg.on("request", lambda r: pg.requests_seen.append(r.url))
    yield pg
    context.close()


def broken_links(site: Path) -> list[str]:
    """Every relative link and #fragment in the built HTML that points at nothing (404.html aside:
    it is served at any depth, so its links are absolute on purpose)."""
    ids_cache: dict[Path, set[str]] = {}

    def ids(path: Path) -> set[str]:
        if path not in ids_cache:
            ids_cache[path] = set(re.findall(r'\bid="([^"]+)"', path.read_text(encoding="utf-8")))
        return ids_cache[path]

    broken = []
    for html in sorted(site.rglob("*.html")):
        if html.name == "404.html":
            continue
        for href in re.findall(r'\bhref="([^"]+)"', html.read_text(encoding="utf-8")):
            if re.match(r"^(https?:|mailto:|javascript:|data:)", href) or href.startswith("//"):
                continue
            path, _, frag = href.partition("#")
            target = (html.parent / path).resolve() if path else html
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{html.relative_to(site)} → {href}")
            elif frag and target.suffix == ".html" and frag not in ids(target):
                broken.append(f"{html.relative_to(site)} → {href} (no such id)")
    return broken


def indexed_pages(site: Path) -> dict[str, str]:
    """Pagefind's index as it stands in site/pagefind/: each page's address and its indexed text.
    Fragments are gzipped JSON behind a signature; Pagefind marks its word breaks with U+200B."""
    pages = {}
    for fragment in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        record = json.loads(data)
        pages[record["url"]] = record["content"].replace("\u200b", "")
    return pages
