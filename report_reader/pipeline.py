"""The pipeline, stage by stage: read seeds → strip furniture → parse structure → load and attach
annotations → render pages → write them. Each report is analysed and later rendered by the same
worker process (unless another worker runs out of its own reports first, and takes it over); the
main process checks what spans reports and renders the pages that span them."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from . import annotations, figures, ingest, inputs, matching, official_glossary, sources, structure
from .model import Anchor, Note, Occurrence, Problem, Report, Term
from .cache import FOLDER, code_digest
from .parallel import Workers
from .rendered import RenderedReports, analysis_digest, analysis_terms, digest, layout_key, placing, term_digests
from .stored import Store
from .layout.glossaries import report_terms_paging
from .layout.plan import SiteLayout, install, lay_out
from .layout.paging import Paging
from .layout.site import Site, term_counts
from .layout.urls import ROOT
from .render.pages import render_report, site_pages
from .render.templating import preload
from .write import BuildLock, Publication, TreeWriter, WriteReport, check_writable


@dataclass
class Project:
    root: Path

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def annotations(self) -> Path:
        return self.root / "annotations"

    @property
    def docs(self) -> Path:
        return self.root / "docs"


@dataclass
class BuildResult:
    outputs: dict[str, bytes] = field(default_factory=dict)  # page path → bytes, when not written to a folder
    problems: list[Problem] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    site: Site | None = None  # as the main process sees it: every report, no occurrences
    # As the renderer saw it, occurrences included, when one process did everything (jobs 1, tests).
    rendered: Site | None = None
    written: WriteReport = field(default_factory=lambda: WriteReport())
    citations: Counter = field(default_factory=Counter)  # annotations' citations per source tier

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def mkdocs_setting(root: Path, key: str) -> str:
    """A top-level setting of mkdocs.yml, the one place the site's addresses are named."""
    config = root / "mkdocs.yml"
    if not config.exists():
        return ""
    for line in config.read_text(encoding="utf-8").splitlines():
        if line.startswith(key + ":"):
            return line.split(":", 1)[1].strip().strip("'\"")
    return ""


def read_repo_url(root: Path) -> str:
    """The edit and add-note links are built from repo_url."""
    return mkdocs_setting(root, "repo_url").rstrip("/")


def read_site_url(root: Path) -> str:
    """The CSV files give each figure's paragraph as a full address under site_url."""
    return mkdocs_setting(root, "site_url")


def load_sidecar(path: Path, problems: list[Problem], name: str, root: Path | None = None) -> dict:
    """seeds/<name>.yml, checked against schemas/sidecar.schema.json like every contributor's YAML;
    `name` is how messages show it (relative to the project, like every path)."""
    side = path.with_suffix(".yml")
    if not side.exists() and not side.is_symlink():
        return {}
    found: list[Problem] = []
    data, _ = annotations.load_yaml(side, "sidecar", found, root)
    problems += [replace(p, file=name) for p in found]
    return data or {}


def read_report(project: Project, path: Path, problems: list[Problem]) -> tuple[bytes, Report | None]:
    """One seed, read and parsed: stages 1–3."""
    name = path.relative_to(project.root).as_posix()
    sidecar = load_sidecar(path, problems, name[:-len(".txt")] + ".yml", project.root)
    raw, src, found = ingest.ingest(path, sidecar, name)
    problems += found
    if src is None:
        return raw, None
    report, found = structure.build_report(src, sidecar)
    problems += found
    report.figures = figures.report_figures(report, sidecar, path.with_suffix(".yml"), name[:-len(".txt")] + ".yml", problems)
    return raw, report


def read_report_stored(project: Project, store: Store | None, path: Path, problems: list[Problem]):
    """`read_report`, or what it gave for the same seed and sidecar (names and bytes) before, and
    the store's key of those inputs ("" when the report was made now from bytes that have changed
    since, or not stored). A sidecar that may not be read (a link, too large) is left to
    `read_report` to refuse."""
    contents = seed_contents(project, path)
    if store is None or contents is None:
        return (*read_report(project, path, problems), "")
    computed: list[bytes] = []

    def compute() -> tuple[Report | None, list[Problem]]:
        found: list[Problem] = []
        raw, report = read_report(project, path, found)
        computed.append(raw)
        return report, found
    (report, found), parts, key = store.through(contents, compute)
    problems += found
    # The bytes the report was made from: those read now if it was made now, else those of its key.
    return (computed[0] if computed else parts[1]), report, key


def seed_contents(project: Project, path: Path):
    """What a seed's report is made from, as the store keys it: a function giving the seed's name and
    the bytes of it and its sidecar (raising OSError when one cannot be read); None when the
    sidecar may not be read (a link, too large), which `read_report` refuses."""
    name = path.relative_to(project.root).as_posix()
    side = path.with_suffix(".yml")
    exists = side.exists() or side.is_symlink()
    if exists and inputs.file_problem(side, project.root, name[:-len(".txt")] + ".yml", inputs.YAML_LIMIT):
        return None
    return lambda: [name.encode(), path.read_bytes(), side.read_bytes() if exists else b"\0no sidecar"]


def seed_paths(project: Project, problems: list[Problem]) -> list[Path]:
    """The seeds to read: regular files in seeds/ whose names are valid report ids (see inputs)."""
    seeds = sorted(project.seeds.glob("*.txt"))
    if not seeds:
        problems.append(Problem(str(project.seeds), None, "no seeds/*.txt found", "add a report's text as seeds/<name>.txt"))
    taken: dict[str, str] = {}
    readable = []
    for path in seeds:
        name = path.relative_to(project.root).as_posix()
        problem = inputs.file_problem(path, project.root, name) or \
            inputs.report_id_problem(name, path.name[:-len(".txt")], taken)
        if problem:
            problems.append(problem)
        else:
            readable.append(path)
    return readable


def read_reports(project: Project, problems: list[Problem]) -> tuple[list[Report], dict[str, bytes]]:
    reports, raws = [], {}
    for path in seed_paths(project, problems):
        raw, report = read_report(project, path, problems)
        if report is not None:
            reports.append(report)
            raws[report.id] = raw
    return reports, raws


@dataclass
class AnnotationSet:
    """What every report is matched against, loaded once (and inherited by forked workers)."""

    project: Project
    terms: list[Term]
    notes_by_report: dict[str, list[Note]]
    reports: Store | None = None  # seeds read before, through stages 1–3
    memory: RenderedReports | None = None  # reports' pages rendered before (the preview's, one job)
    # The terms' automaton: built on first use, once per build and per process.
    matchers: dict = field(default_factory=dict)
    analysed_with: bytes | None = None  # rendered.analysis_terms of `terms`, made once (the preview's)


@dataclass
class ReportAnalysis:
    """One report through stages 1–4: everything the site needs of it, and what was wrong with it."""

    raw: bytes
    report: Report | None
    problems: list[Problem]
    official: list[Term] = field(default_factory=list)  # the report's own 名词解释 entries
    markers: list = field(default_factory=list)
    occurrences: list[Occurrence] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)
    inputs: str = ""  # the store's key of the seed and sidecar it came from (see read_report_stored)


def analyse(given: AnnotationSet, path: Path) -> ReportAnalysis:
    """Stages 1–4 for one seed; with the preview's memory, the analysis of an earlier build when the
    seed, its sidecar, the terms' forms and scopes and the report's notes are the same."""
    memory = given.memory
    key = _analysis_key(given, path) if memory is not None else ""
    if key:
        found = memory.analysis(path.name, key)
        if found is not None:
            return found
    out = _analyse(given, path)
    if memory is not None:
        memory.analysed += 1
        if key and out.inputs and key.partition(":")[0] == out.inputs:  # made from the bytes it is keyed by
            memory.keep_analysis(path.name, key, out)
    return out


def _analysis_key(given: AnnotationSet, path: Path) -> str:
    """The store's key of the seed and sidecar, then a digest of what else the analysis reads: the
    terms as matching reads them (all but what they explain and cite) and the report's notes. ""
    when the seed cannot be keyed."""
    contents = seed_contents(given.project, path) if given.reports is not None else None
    try:
        inputs_key = given.reports.key(*contents()) if contents is not None else ""
    except OSError:
        return ""
    if not inputs_key:
        return ""
    if given.analysed_with is None:
        given.analysed_with = analysis_terms(given.terms)
    notes = given.notes_by_report.get(path.name[:-len(".txt")], [])
    return inputs_key + ":" + analysis_digest(given.analysed_with, notes)


def _analyse(given: AnnotationSet, path: Path) -> ReportAnalysis:
    problems: list[Problem] = []
    raw, report, key = read_report_stored(given.project, given.reports, path, problems)
    out = ReportAnalysis(raw, report, problems, inputs=key)
    if report is None:
        return out
    glossary = official_glossary.read(report, annotations.to_pinyin)
    problems += glossary.problems + official_glossary.shadowed(glossary.terms, given.terms, report)
    out.official, out.markers = glossary.terms, glossary.markers
    # The report's own entries come first: they are marked before shared ones of the same form.
    out.occurrences = matching.find_occurrences(report, given.terms, given.matchers, glossary.terms)
    out.anchors = matching.anchor_notes(report, given.notes_by_report.get(report.id, []), problems)
    # The seed's decoded text and lines are dropped: the sections hold its words, `raw` its bytes,
    # and the report's summary crosses to the main process pickled (they were two fifths of it).
    report.source = replace(report.source, raw="", lines=[])
    return out


@dataclass
class ReportSummary:
    """What the main process learns of a report analysed in a worker: enough for the checks that span
    reports, the navigation, the shared glossary and the term index. The occurrences stay behind in
    the worker, which renders the report's pages."""

    report: Report | None
    problems: list[Problem]
    official: list[Term] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)  # term id → occurrences
    glossary: Paging | None = None  # the report glossary's pages, outline only


def _analyse_here(given: AnnotationSet, local: "WorkerState", path: Path) -> ReportSummary:
    """In a worker: stages 1–4 for one seed. The report is kept for `_render_here`, and its glossary
    is cut into pages now, where its occurrences are."""
    a = analyse(given, path)
    if a.report is None:
        return ReportSummary(None, a.problems)
    site = _worker_site(given, local)
    report = a.report
    site.reports.append(report)
    site.terms.update((t.id, t) for t in a.official)
    if a.markers:
        site.markers[report.id] = a.markers
    site.occurrences[report.id] = a.occurrences
    site.anchors[report.id] = a.anchors
    local.raws[report.id] = a.raw
    local.inputs[report.id] = a.inputs
    glossary = report_terms_paging(site, report)
    return ReportSummary(report, a.problems, a.official, a.anchors, term_counts(site, report), glossary.outline())


def _worker_site(given: AnnotationSet, local: "WorkerState") -> Site:
    """The site as a worker holds it: the reports it analysed, their occurrences and raw bytes."""
    if local.site is None:
        local.site = Site(reports=[], terms={t.id: t for t in given.terms}, occurrences={}, anchors={},
                          repo_url=read_repo_url(given.project.root), site_url=read_site_url(given.project.root))
    return local.site


def attach(project: Project, problems: list[Problem], jobs: int = 1,
           citations: Counter | None = None, memory: RenderedReports | None = None) -> tuple[Site, Workers]:
    """Stages 1–4 for every seed, in `jobs` worker processes that keep what they found, then the
    checks that span reports. Returns the site as the main process sees it (every report, its term
    counts and glossary outline, no occurrences) and the workers, which `render_site` uses next."""
    stored = Store(project.root / FOLDER, "terms", code_digest())
    terms = annotations.load_terms(project.annotations / "terms", problems, project.root, jobs, stored)
    notes = annotations.load_notes(project.annotations / "notes", problems, project.root)
    if citations is not None:
        citations.update(sources.tally([t.sources for t in terms] + [n.sources for n in notes]))
    by_report: dict[str, list[Note]] = defaultdict(list)
    for note in notes:
        by_report[note.report].append(note)
    paths = seed_paths(project, problems)
    reports = Store(project.root / FOLDER, "reports", code_digest())
    given = AnnotationSet(project, terms, dict(by_report), reports)
    workers = Workers(jobs, given, items=len(paths), local=WorkerState)
    # Pages rendered before are reused only where they are rendered in this process.
    given.memory = memory if memory is not None and not workers.forked else None
    try:
        summaries = workers.map(_analyse_here, paths)
        site = _gather(project, terms, notes, summaries, problems, {path.stem for path in paths})
        # Which worker holds each report: it renders it, unless another one runs out of work first.
        site.holders = {s.report.id: w for s, w in zip(summaries, workers.placed) if s.report is not None}
    except BaseException:
        workers.close(failed=True)
        raise
    return site, workers


def _gather(project: Project, terms: list[Term], notes: list[Note], summaries: list[ReportSummary],
            problems: list[Problem], seed_ids: set[str] = frozenset()) -> Site:
    """The site as the main process sees it, from the workers' summaries; the checks that span reports."""
    site = Site(reports=[], terms={t.id: t for t in terms}, occurrences={}, anchors={},
                repo_url=read_repo_url(project.root), site_url=read_site_url(project.root))
    for s in summaries:
        problems += s.problems
        if s.report is None:
            continue
        report = s.report
        site.reports.append(report)
        site.terms.update((t.id, t) for t in s.official)
        site.anchors[report.id] = s.anchors
        site.term_counts[report.id] = s.counts
        site.glossaries[report.id] = s.glossary
    annotations.check_overlaps(terms, site.reports, problems)
    known = {r.id: r for r in site.reports}
    for note in notes:  # a seed that is there but could not be read has its own error: not one per note
        if note.report not in known and note.report not in seed_ids:
            problems.append(Problem(note.file, 1, f"report `{note.report}` is not in seeds/",
                                    "use the seed file name without .txt"))
    if not set(seed_ids) - set(known):  # with a seed unread, a passage's absence proves nothing
        _resolve_passages(site, terms, known, problems)
    return site


def _resolve_passages(site: Site, terms, known: dict[str, Report], problems: list[Problem]) -> None:
    """Item passages and report-quote sources must stand in the report, so their links are real."""
    for t in terms:
        for i, item in enumerate(t.items):
            if not item.passage:
                continue
            for report in site.reports:
                if t.applies_to(report):
                    site.item_links[(t.id, i)] = site.item_links.get((t.id, i), []) + [
                        (report.id, h.section, h.paragraph) for h in matching.locate(report, item.passage)[:1]]
            if not site.item_links.get((t.id, i)):
                problems.append(Problem(t.file, None, f"item “{item.text}”: passage “{item.passage}” is not in any report in scope",
                                        "copy the passage exactly from the report, or remove `passage`"))
        for src in t.sources:
            if src.report:
                _check_quote(t.file, src.report, src.quote, known, problems)
    for report in site.reports:
        for a in site.anchors.get(report.id, []):
            for src in a.note.sources:
                if src.report:
                    _check_quote(a.note.file, src.report, src.quote, known, problems)


def _check_quote(file: str, report_id: str, quote: str, known, problems) -> None:
    report = known.get(report_id)
    if report is None:
        problems.append(Problem(file, None, f"source cites report `{report_id}`, which is not in seeds/", "fix the report id"))
    elif not matching.locate(report, quote):
        near = matching.closest_passage(report, quote)
        problems.append(Problem(file, None, f"source quote “{quote}” is not in report `{report_id}`"
                                + (f"; closest passage: {near}" if near else ""), "copy the passage exactly"))


@dataclass
class WorkerState:
    """What a worker keeps between calls (in this process when there are no workers): the site as
    it holds it (the reports it analysed, with their occurrences), their raw bytes, where pages go."""

    site: Site | None = None
    raws: dict[str, bytes] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)  # report id → ReportAnalysis.inputs
    output: TreeWriter | dict[str, bytes] | None = None
    layout: bytes = b""  # rendered.layout_key of the site's layout: part of each report's digest
    placed: bytes | None = None  # rendered.placing of the site's terms, once all are known
    term_digests: dict[str, bytes] | None = None  # rendered.term_digests of the same


def _install_layout(given: AnnotationSet, local: WorkerState, job: tuple[SiteLayout, TreeWriter | None]) -> None:
    """In a worker, before it renders: the site's layout, and where its pages go (the build's new
    tree, or back to the main process when there is none)."""
    plan, writer = job
    install(_worker_site(given, local), plan)
    local.output = open_output(writer)
    if given.memory is not None:
        local.layout = layout_key(plan)


def _render_here(given: AnnotationSet, local: WorkerState, report_id: str) -> list[str]:
    """In a worker: one report's pages, handed to the output. A report analysed by another worker
    (this one ran out of its own) is analysed here first: the same seed gives the same report."""
    if report_id not in local.raws:
        _analyse_here(given, local, given.project.seeds / f"{report_id}.txt")
    site = local.site
    report = next(r for r in reversed(site.reports) if r.id == report_id)
    raw = local.raws[report_id]
    memory = given.memory
    if memory is None:
        return hand_off(local.output, render_report(site, report, raw))
    if local.placed is None:
        local.placed, local.term_digests = placing(site.terms), term_digests(site.terms)
    key = digest(site, report, raw, local.inputs[report_id], local.layout, local.placed, local.term_digests)
    pages = memory.get(report_id, key)
    if pages is None:
        pages = list(render_report(site, report, raw))
        memory.put(report_id, key, pages)
    else:
        site.tables.release(report_id)
    return hand_off(local.output, pages)


def _finish_here(given: AnnotationSet, local: WorkerState, _: None = None) -> dict[str, bytes]:
    """The pages a worker collected (when there is no docs folder); nothing when they went to the tree."""
    output, local.output = local.output, None
    return output if isinstance(output, dict) else {}


def render_site(site: Site, workers: Workers, docs: Path | None,
                spare: bool = False) -> tuple[dict[str, bytes], WriteReport]:
    """Stage 5 and 6: the workers render the reports, each first those it analysed, while this process
    renders the pages that span reports. With `docs`, the pages make a new tree that replaces the
    live one in one step (nothing changes if any page fails); without, the pages are returned.
    `spare`: the new tree is the one swapped out last time, brought up to date (one process only)."""
    plan = lay_out(site)
    mine = site_pages(site, plan)
    reports = [r.id for r in site.reports]
    holders = [site.holders.get(r, 0) for r in reports]
    if docs is not None:
        check_writable(docs, ROOT, mine)  # report pages all lie inside ROOT, which the build owns
    output: Publication | dict[str, bytes] = Publication(docs, ROOT, spare and not workers.forked) if docs is not None else {}
    try:
        workers.each(_install_layout, (plan, output.writer if docs is not None else None))
        steps = (partial(_site_page, output, path, make) for path, make in mine.items())
        workers.map(_render_here, reports, holders, steps)
        collected = workers.each(_finish_here, None)
        if isinstance(output, dict):
            return dict(sorted(page for pages in [output, *collected] for page in pages.items())), WriteReport()
        return {}, output.commit()  # one exchange of trees, in this process
    except BaseException:
        if isinstance(output, Publication):
            output.discard()
        raise


def _site_page(output, path: str, make) -> None:
    page = make()
    hand_off(output, [(path, page if isinstance(page, bytes) else page.encode("utf-8"))])


# ---------------------------------------------------------------- the hand-off to write.py

def open_output(writer: TreeWriter | None) -> TreeWriter | dict[str, bytes]:
    return writer if writer is not None else {}


def hand_off(output: TreeWriter | Publication | dict[str, bytes], pages) -> list[str]:
    """The one place pages leave the pipeline: put in the build's new tree (see write.Publication),
    or collected when there is no docs folder. Returns their paths."""
    paths = []
    for path, data in pages:
        if isinstance(output, dict):
            output[path] = data
        else:
            output.put(path, data)
        paths.append(path)
    return paths


def build(root: Path, jobs: int = 1, docs: Path | None = None, render: bool = True,
          locked: bool = False, memory: RenderedReports | None = None) -> BuildResult:
    """Stages 1–6 in `jobs` processes. With `docs`, pages are written there; without, they are
    returned in `outputs`; with render False (a check), nothing is rendered. When any input is wrong,
    nothing is rendered or written. `locked`: the caller holds docs' BuildLock already. `memory`:
    the pages of earlier builds in this process, reused for reports whose inputs are unchanged."""
    if docs is not None and render and not locked:
        with BuildLock(docs):
            return _build(root, jobs, docs, render, memory)
    return _build(root, jobs, docs, render, memory)


def _build(root: Path, jobs: int, docs: Path | None, render: bool, memory: RenderedReports | None) -> BuildResult:
    result = BuildResult()
    if render:
        preload()  # before the workers fork
    if memory is not None:
        memory.start()
    site, workers = attach(Project(root), result.problems, jobs, result.citations, memory if render else None)
    with workers:
        result.site, result.reports = site, site.reports
        if result.errors or not render:
            return result
        # The preview, which regenerates after each edit, keeps a spare tree (see write.py).
        result.outputs, result.written = render_site(site, workers, docs, spare=memory is not None)
        result.rendered = workers.local.site
        if memory is not None:
            memory.forget({r.id for r in site.reports})
    return result
