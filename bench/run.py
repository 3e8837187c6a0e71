#!/usr/bin/env python3
"""Scale benchmark: builds a large corpus from the reports at hand and measures generation, the
MkDocs build, the output's size and term matching against Python-Markdown's `abbr` extension.

    make bench                                      # = python bench/run.py, about 4 minutes on a 2-core machine
    python bench/run.py --reports 460 --terms 5000  # the defaults: about 20 MB of seeds
    python bench/run.py --quick                     # 50 reports, 1,000 terms: about a minute
    python bench/run.py --properdocs /tmp/venv/bin/properdocs   # also time ProperDocs on one site
    python bench/run.py --mkdocs-large              # also `mkdocs build` the large site itself (8 min more)

Everything is built under bench/out/ (git-ignored). Prints a Markdown table (the one in bench/README.md's
"Performance") and writes it to bench/out/results.md. Figures are measurements, not tests."""

from __future__ import annotations

import argparse
import collections
import compileall
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from report_reader.structure import PROVINCES  # noqa: E402

# The hand-written parts of the project a build needs (tests/conftest.py copies the same).
PROJECT_FILES = ["annotations", "docs", "hooks", "overrides", "report_reader", "mkdocs.yml", "pagefind.yml", "build_docs.py"]
# The shared corpus: where the tests find it (REPORT_READER_SHARED), else beside the checkout.
SHARED = Path(os.environ.get("REPORT_READER_SHARED") or ROOT.parent / "shared")
SOURCES = [ROOT / "seeds" / "jinan-tianqiao-2024.txt", *sorted((SHARED / "corpus").glob("*.txt"))]
CATEGORIES = ["slogan", "abbreviation", "policy", "institution", "programme", "statistic", "honour", "place", "law", "general"]
HAN = re.compile(r"[\u4e00-\u9fff]+")
# Figures followed by a unit are varied; heading numbers ("1." "（2）") and dates are left alone.
FIGURE_RE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?=(?:%|％|亿|万|个|家|项|公里|千米|人|户|所|座|倍|吨|元|辆|场|套|张))")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}


# ---------------------------------------------------------------- the corpus

def vary_report(text: str, k: int) -> str:
    """Copy k of a report: another province and year in its title and dateline, other figures in its
    text. Copy 0 is the report itself, so the project's notes and report-scoped terms still apply."""
    if k == 0:
        return text
    province = PROVINCES[(k * 7) % 31]
    year = str(2026 - k % 10)
    lines = []
    for line in text.split("\n"):
        if len(line) < 80 and ("政府工作报告" in line or re.match(r"^\s*[—―\-－]+\s*\d{4}年", line)):
            for name in PROVINCES:
                line = line.replace(name, province)
            line = re.sub(r"20\d\d(?=年)", year, line, count=1)
        lines.append(line)
    factor = 1 + ((k * 37) % 41 - 20) / 100

    def figure(m: re.Match) -> str:
        value = m.group(1)
        places = len(value.partition(".")[2])
        return f"{float(value) * factor:.{places}f}"
    return FIGURE_RE.sub(figure, "\n".join(lines))


def write_seeds(seeds: Path, count: int) -> int:
    """`count` reports, cycling through the seed and the corpus; returns their size in bytes."""
    seeds.mkdir(parents=True)
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in SOURCES]
    total = 0
    for i in range(count):
        stem, text = texts[i % len(texts)]
        k = i // len(texts)
        data = vary_report(text, k).encode("utf-8")
        (seeds / (f"{stem}.txt" if k == 0 else f"{stem}-v{k:04d}.txt")).write_bytes(data)
        total += len(data)
    return total


# ---------------------------------------------------------------- the glossary

def candidate_words(texts: list[str]) -> list[str]:
    """Real-looking glossary words from the reports: jieba words of 3–6 Han characters and phrases
    of two or three adjacent words of 2+ characters each (4–6 in all), most frequent first. Two-character words
    (建设, 发展) are left out: no glossary explains those."""
    import jieba
    jieba.setLogLevel(60)
    counts: collections.Counter = collections.Counter()
    for text in texts:
        for run in HAN.findall(text):
            words = list(jieba.cut(run))
            for i, w in enumerate(words):
                if 3 <= len(w) <= 6:
                    counts[w] += 1
                for n in (2, 3):
                    parts = words[i:i + n]
                    phrase = "".join(parts)
                    if len(parts) == n and all(len(x) >= 2 for x in parts) and 4 <= len(phrase) <= 6:
                        counts[phrase] += 1
    return [w for w, _ in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]


def write_terms(terms_dir: Path, texts: list[str], count: int) -> int:
    """Synthetic entries (valid per term.schema.json) beside the project's real ones, up to `count`."""
    import yaml
    from report_reader.typography import fold
    real = list(terms_dir.glob("*.yml"))
    taken = set()  # a form defined twice is an error: synthetic words avoid the real entries' forms
    for path in real:
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))
        taken.update(fold(form) for form in [entry["term"], *(entry.get("variants") or [])])
    words = [w for w in candidate_words(texts) if fold(w) not in taken]
    wanted = max(0, count - len(real))
    # Every k-th word of the frequency ranking: common and rare words both, about one marked term per
    # 13 characters of text (the Tianqiao report, annotated by hand, has one per 23).
    words = words[:: max(1, len(words) // wanted)][:wanted] if wanted else []
    for n, word in enumerate(words, 1):
        lines = [f"id: syn-{n:05d}", f"term: {word}", f"english: synthetic entry {n}",
                 f"category: {CATEGORIES[n % len(CATEGORIES)]}", f"short: 基准测试合成词条：{word}",
                 "explanation: |", f"  “{word}”是从报告文字中抽取的**合成词条**，只用于性能测试。",
                 "  第二段：见[政府工作报告](https://www.gov.cn/)。"]
        if n % 10 == 0:  # some entries apply to one province only: one automaton per distinct scope
            lines.append(f"scope:\n  region: {PROVINCES[n % 31]}")
        else:
            lines.append("scope: all")
        lines.append("status: unverified")
        if n % 7 == 0 and n > 1:
            lines.append(f"related: [syn-{n - 1:05d}]")
        (terms_dir / f"syn-{n:05d}.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(real) + len(words)


# Old output is moved here, not deleted, until every timing is taken. On ext4 without a journal (this
# VM's disk) the inode allocator passes over inodes freed in the last minute, reading each one's
# inode table block: a build that starts right after 670 MB of pages were deleted spent 1-2.5 s more
# of kernel time creating its files (measured: 630 MB of pages written in 0.8 s into a quiet file
# system, 2.4 s three seconds after the previous copy was deleted, 3.4 s at once).
TRASH = OUT / ".trash"


def discard(path: Path) -> None:
    """Out of the way at once (a rename frees no inode); deleted by empty_trash, after the timings."""
    if path.exists():
        TRASH.mkdir(parents=True, exist_ok=True)
        path.rename(TRASH / f"{path.name}-{time.time_ns()}")


def empty_trash() -> None:
    shutil.rmtree(TRASH, ignore_errors=True)


def make_project(dest: Path, reports: int, terms: int, texts: list[str]) -> dict:
    """A copy of the project's hand-written files with `reports` seeds and `terms` glossary entries."""
    discard(dest)
    dest.mkdir(parents=True)
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "reports"))
        else:
            shutil.copy2(src, dest / name)
    (dest / "docs" / "index.md").unlink(missing_ok=True)
    compileall.compile_dir(dest / "report_reader", quiet=1)  # a first run should not pay for bytecode
    size = write_seeds(dest / "seeds", reports)
    n_terms = write_terms(dest / "annotations" / "terms", texts, terms) if terms else len(list((dest / "annotations" / "terms").glob("*.yml")))
    return {"reports": reports, "bytes": size, "terms": n_terms}


# ---------------------------------------------------------------- measuring

@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child and its workers: less disturbed by other load than wall time
    rss_mb: float  # peak memory: the largest RSS of one process, or the sampled sum of PSS over its tree
    output: str

    def __str__(self) -> str:
        return f"{self.wall:.1f} s ({self.cpu:.1f} s CPU)"


def _pss_kb(pid: int) -> int:
    """Proportional set size: pages shared by forked workers are counted once, split between them."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children") if Path(f"/proc/{p}/task").exists() else ():
            try:
                todo += [int(c) for c in task.read_text().split()]
            except OSError:
                pass
    return pids


def run_child(args: list[str], cwd: Path, sample_memory: bool = False) -> Run:
    """One command, measured with the workers it forks: wall time, CPU time and peak memory. Peak
    memory is the largest RSS of one process, or, with `sample_memory`, the largest sum of PSS over
    the process tree, sampled every 0.1 s. Sampling is for runs that are not timed: reading
    smaps_rollup of a 700 MB process costs the kernel about 12 ms, which on two CPUs slows the
    build it measures by a third when done every 20 ms."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0

    def sample() -> None:
        nonlocal peak
        while proc.poll() is None:
            peak = max(peak, sum(_pss_kb(p) for p in _tree(proc.pid)))
            time.sleep(0.1)
    sampler = threading.Thread(target=sample, daemon=True)
    if sample_memory:
        sampler.start()
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)  # includes the workers the child waited for
    wall = time.perf_counter() - started
    if sample_memory:
        sampler.join()
    proc.stdout.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(args)} failed in {cwd}:\n{output[-3000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, max(peak, usage.ru_maxrss) / 1024, output)


def generate(project: Path, jobs: int | None = None, sample_memory: bool = False) -> Run:
    """build_docs.py as a user runs it: one process per CPU by default."""
    return run_child([sys.executable, "build_docs.py", "--quiet", *(["--jobs", str(jobs)] if jobs else [])], project,
                     sample_memory)


def settle(project: Path) -> None:
    """Generated pages out of the way, as before a first build (see discard), and the disk given a
    moment to write back the last run's pages."""
    discard(project / "docs" / "reports")
    os.sync()
    time.sleep(3)


def rewritten(run: Run) -> int:
    return int(re.search(r"docs/: (\d+) written", run.output).group(1))


def mkdocs_build(project: Path) -> Run:
    discard(project / "site")
    return run_child([sys.executable, "-m", "mkdocs", "build", "--quiet"], project)


def folder_bytes(folder: Path, pattern: str = "*") -> int:
    return sum(p.stat().st_size for p in folder.rglob(pattern) if p.is_file())


def pagefind_index(project: Path) -> Run:
    """Pagefind over the built site, as `make site` runs it after MkDocs (pagefind.yml)."""
    return run_child([sys.executable, "-m", "pagefind", "--quiet"], project)


def site_sizes(project: Path) -> dict:
    """Pagefind's index (built here, untimed, if the site has none) against the text it holds; the
    largest page of HTML. The index is its chunks, page fragments and metadata (gzipped), not its
    scripts; a reader fetches only the chunks and fragments a query needs."""
    site = project / "site"
    if not (site / "pagefind").exists():
        pagefind_index(project)
    bundle = site / "pagefind"
    text = 0
    for fragment in (bundle / "fragment").glob("*.pf_fragment"):
        record = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        text += len(record["content"].replace("\u200b", "").encode("utf-8"))
    pages = sorted((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")
                   if p.relative_to(site).parts[0] != "pagefind")
    return {"index": folder_bytes(bundle, "*.pf_*"), "indexed_text": text,
            "indexed_pages": sum(1 for _ in (bundle / "fragment").glob("*.pf_fragment")),
            "pages": len(pages), "largest": pages[-1], "over_500k": sum(1 for n, _ in pages if n > 500_000),
            "largest_section": max((n, p) for n, p in pages if re.search(r"/s\d[^/]*/index\.html$", p))}


# What each MkDocs option changes in a copy of a generated project (nothing in the real one).
def _without_print_pages(project: Path) -> None:
    for page in (project / "docs" / "reports").glob("*/print/index.html"):
        page.unlink()
    nav = project / "docs" / "reports" / ".nav.yml"
    nav.write_text("".join(line for line in nav.read_text(encoding="utf-8").splitlines(True) if "print/index.html" not in line),
                   encoding="utf-8")


def _one_report(project: Path) -> None:
    """One provincial report as a site of its own (with the Tianqiao seed, which the project's
    annotations cite): what an index, and a build, per report costs."""
    keep = {sorted((project / "seeds").glob("shandong*.txt"))[0].name, "jinan-tianqiao-2024.txt"}
    for seed in (project / "seeds").glob("*.txt"):
        if seed.name not in keep:
            seed.unlink()
    discard(project / "docs" / "reports")
    (project / "docs" / "index.md").unlink()
    subprocess.run([sys.executable, "build_docs.py", "--quiet"], cwd=project, env=ENV, check=True, capture_output=True)


MKDOCS_OPTIONS = [("one provincial report (+ the small seed) as a site of its own", _one_report),
                  ("without the print pages (fewer pages)", _without_print_pages)]


def mkdocs_options(project: Path) -> list[tuple[str, Run, dict | None]]:
    out = []
    for label, change in MKDOCS_OPTIONS:
        variant = OUT / "variant"
        discard(variant)
        shutil.copytree(project, variant, ignore=shutil.ignore_patterns("site"))
        change(variant)
        run = mkdocs_build(variant)
        out.append((label, run, None))
    discard(OUT / "variant")
    return out


def compare_abbr(project: Path) -> dict:
    """Python-Markdown's abbr extension vs TermMatcher, on the same paragraphs and the same terms."""
    import markdown
    from report_reader import annotations, matching, pipeline
    problems: list = []
    reports, _ = pipeline.read_reports(pipeline.Project(project), problems)
    terms = annotations.load_terms(project / "annotations" / "terms", problems, project)
    paragraphs = [p.text for r in reports for s in r.sections for p in s.paragraphs]

    started = time.perf_counter()
    matcher = matching.TermMatcher(terms)
    found = [m for p in paragraphs for m in matcher.find(p)]
    ours = time.perf_counter() - started

    definitions = "\n".join(f"*[{form}]: {t.short}" for t in terms for form in t.forms)
    source = "\n\n".join(p.replace("*", r"\*") for p in paragraphs) + "\n\n" + definitions + "\n"
    started = time.perf_counter()
    rendered = markdown.markdown(source, extensions=["abbr"])
    theirs = time.perf_counter() - started
    return {"paragraphs": len(paragraphs), "text_bytes": sum(len(p.encode("utf-8")) for p in paragraphs),
            "terms": len(terms), "ours_s": ours, "ours_marked": sum(1 for m in found if not m[3]),
            "ours_nested": sum(1 for m in found if m[3]), "abbr_s": theirs, "abbr_marked": rendered.count("<abbr ")}


def _version(command: Path) -> str:
    return subprocess.run([str(command), "--version"], capture_output=True, text=True).stdout.split(" from")[0].split()[-1]


# ---------------------------------------------------------------- the report

def python_loop() -> float:
    """A yardstick printed with the figures: the same machine runs pure Python up to a third slower
    at some hours than at others, and every figure here moves with it."""
    started, total = time.perf_counter(), 0
    for i in range(20_000_000):
        total += i
    return time.perf_counter() - started


def _duration(seconds: float) -> str:
    return f"≈ {seconds / 60:.0f} min" if seconds >= 120 else f"≈ {seconds:.0f} s"


def mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


def ratio(index: dict) -> str:
    return (f"Pagefind: {mb(index['index'])} for {index['indexed_pages']} pages, ×{index['index'] / index['indexed_text']:.1f} "
            f"the {mb(index['indexed_text'])} of text it holds")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=460, help="reports in the large corpus (460: about 20 MB)")
    parser.add_argument("--terms", type=int, default=5000, help="glossary entries, the project's own included")
    parser.add_argument("--repeat", type=int, default=3, help="cold builds of the large corpus to time (default 3)")
    parser.add_argument("--quick", action="store_true", help="50 reports, 1,000 terms, MkDocs on 5 and 10 reports")
    parser.add_argument("--properdocs", type=Path, help="a `properdocs` command (in a throwaway venv with mkdocs-material) "
                        "to time against `mkdocs build`")
    parser.add_argument("--mkdocs-large", action="store_true",
                        help="also run `mkdocs build` on the large site itself (minutes, GBs of memory), not only extrapolate")
    args = parser.parse_args(argv)
    reports, terms = (50, 1000) if args.quick else (args.reports, args.terms)
    tenth = max(10, reports // 10)
    small = 10 if tenth > 10 else 5  # MkDocs' options and the abbr comparison run on this one
    texts = [p.read_text(encoding="utf-8") for p in SOURCES]
    rows: list[tuple[str, str, str]] = []

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    def row(what: str, result: str, target: str = "") -> None:
        rows.append((what, result, target))
        say(f"  {what}: {result}")

    load = os.getloadavg()[0]
    say(f"load average {load:.1f} on {os.cpu_count()} CPUs; building projects under {OUT.relative_to(ROOT)}/ ...")
    row("this machine's speed: a Python loop of 20 million additions", f"{python_loop():.2f} s")
    real = make_project(OUT / "real", len(SOURCES), 0, texts)
    big = make_project(OUT / "big", reports, terms, texts)
    mid = make_project(OUT / "tenth", tenth, terms, texts)
    low = make_project(OUT / "small", small, terms, texts)

    say("generating ...")
    first, again = generate(OUT / "real"), generate(OUT / "real")
    row(f"generate: seed + corpus ({real['reports']} reports, {mb(real['bytes'])}, {real['terms']} terms)",
        f"{first}, {rewritten(first)} files")
    row("again, nothing changed", f"{again}, {rewritten(again)} files rewritten", "< 1 s, 0 rewritten")
    g_mid = generate(OUT / "tenth")
    g_big = generate(OUT / "big")
    g_big_again = generate(OUT / "big")
    docs = folder_bytes(OUT / "big" / "docs" / "reports")
    # This machine's speed moves from one minute to the next: the cold build again, a few times.
    g_big_more = []
    for _ in range(args.repeat - 1):
        settle(OUT / "big")
        g_big_more.append((python_loop(), generate(OUT / "big")))
    settle(OUT / "big")
    g_big_memory = generate(OUT / "big", sample_memory=True)  # the same again, its memory sampled
    settle(OUT / "big")
    g_big_one = generate(OUT / "big", jobs=1)
    row(f"generate: {big['reports']} reports ({mb(big['bytes'])}), {big['terms']} terms, {os.cpu_count()} processes",
        f"{g_big}: {big['bytes'] / 1e6 / g_big.wall:.2f} MB/s; {rewritten(g_big)} files, {mb(docs)} of Markdown", "< 10 s")
    if g_big_more:
        row("the same, again from nothing (the yardstick just before each run)",
            "; ".join(f"{run} at {loop:.2f} s" for loop, run in g_big_more), "< 10 s")
    row("peak memory of such a run (PSS of all its processes, sampled in a run of its own)",
        f"{g_big_memory.rss_mb:.0f} MB (that run: {g_big_memory.wall:.1f} s)", "< 1 GB")
    row("the same in one process (`--jobs 1`), peak RSS", f"{g_big_one}, {g_big_one.rss_mb:.0f} MB")
    row(f"generate: {mid['reports']} reports ({mb(mid['bytes'])}), same terms",
        f"{g_mid}; ×{big['bytes'] / mid['bytes']:.1f} the input took ×{g_big.wall / g_mid.wall:.1f} the time "
        f"(×{g_big.cpu / g_mid.cpu:.1f} CPU)", "≤ ×11 for ×10")
    row(f"again, {big['reports']} reports, nothing changed", f"{g_big_again}, {rewritten(g_big_again)} files rewritten",
        "0 rewritten")

    say("mkdocs build ...")
    g_low = generate(OUT / "small")
    m_real, m_low, m_mid = mkdocs_build(OUT / "real"), mkdocs_build(OUT / "small"), mkdocs_build(OUT / "tenth")
    s_real, s_low, s_mid = site_sizes(OUT / "real"), site_sizes(OUT / "small"), site_sizes(OUT / "tenth")
    row(f"`mkdocs build`: seed + corpus ({s_real['pages']} pages)", f"{m_real}, {m_real.rss_mb:.0f} MB")
    for n, m, g, s in ((small, m_low, g_low, s_low), (tenth, m_mid, g_mid, s_mid)):
        row(f"`mkdocs build`: {n} reports ({s['pages']} pages), {terms} terms",
            f"{m}, {m.rss_mb:.0f} MB: ×{m.wall / g.wall:.0f} the generation ({g.wall:.1f} s)")
    per_report = (m_mid.wall - m_low.wall) / (tenth - small)
    row(f"`mkdocs build`: {reports} reports, extrapolated (straight line through the two above)",
        _duration(m_mid.wall + per_report * (reports - tenth)), "")
    sized = [("seed + corpus", s_real), (f"{tenth} reports", s_mid)]
    if args.mkdocs_large:
        m_big = mkdocs_build(OUT / "big")
        s_big = site_sizes(OUT / "big")
        sized.append((f"{reports} reports", s_big))
        row(f"`mkdocs build`: {reports} reports ({s_big['pages']} pages), measured", f"{m_big}, {m_big.rss_mb:.0f} MB: "
            f"×{m_big.wall / g_big.wall:.0f} the generation ({g_big.wall:.1f} s)")
    for label, s in sized:
        row(f"search index: {label}", ratio(s), "< ×2")
        row(f"largest HTML page: {label}", f"{s['largest'][0] / 1e3:.0f} KB ({s['largest'][1]}); "
            f"largest section page {s['largest_section'][0] / 1e3:.0f} KB; {s['over_500k']} of {s['pages']} pages over 500 KB",
            "< 500 KB")

    say(f"mkdocs options on {small} reports ...")
    for label, run, sizes in mkdocs_options(OUT / "small"):
        row(f"`mkdocs build`, {small} reports, {label}", f"{run} (as is: {m_low.wall:.1f} s)"
            + (f"; search index {ratio(sizes)}" if sizes and sizes["index"] != s_low["index"] else ""))

    if args.properdocs:
        discard(OUT / "small" / "site")
        run = run_child([str(args.properdocs), "build", "--quiet", "-f", "mkdocs.yml"], OUT / "small")
        row(f"`properdocs build`, {small} reports (ProperDocs {_version(args.properdocs)})", f"{run} (mkdocs: {m_low})")

    say("abbr and TermMatcher ...")
    cmp = compare_abbr(OUT / "small")
    what = f"{cmp['paragraphs']} paragraphs ({mb(cmp['text_bytes'])}), {cmp['terms']} terms"
    row(f"TermMatcher: {what}", f"{cmp['ours_s']:.2f} s, {cmp['ours_marked']} marked (+{cmp['ours_nested']} nested inside them)")
    row("Markdown `abbr` extension: same text and terms", f"{cmp['abbr_s']:.2f} s, {cmp['abbr_marked']} marked")

    say("removing old output ...")
    empty_trash()

    command = "python bench/run.py" + (" --quick" if args.quick else f" --reports {reports} --terms {terms}")
    table = [f"`{command}` — Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load:.1f} "
             f"at the start; wall-clock time, with the CPU time of the child process in brackets.", "",
             "| measured | result | target |", "| --- | --- | --- |"]
    table += [f"| {what} | {result} | {target} |" for what, result, target in rows]
    (OUT / "results.md").write_text("\n".join(table) + "\n", encoding="utf-8")
    print("\n" + "\n".join(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
