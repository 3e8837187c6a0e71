"""The pipeline, stage by stage: read seeds → strip furniture → parse structure → load and attach
annotations → render pages. Returns plain data (pages and problems); writing is the caller's."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import yaml

from . import annotations, ingest, matching, official_glossary, structure
from .model import Anchor, Note, Occurrence, Problem, Report, Term
from .parallel import fork_map
from .render import pages
from .render.pages import ROOT, Site


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
    outputs: Mapping[str, bytes] = field(default_factory=dict)  # rendered as they are read (RenderedPages)
    problems: list[Problem] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    site: Site | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def read_repo_url(root: Path) -> str:
    """repo_url lives in one place, mkdocs.yml; the edit and add-note links are built from it."""
    config = root / "mkdocs.yml"
    if not config.exists():
        return ""
    for line in config.read_text(encoding="utf-8").splitlines():
        if line.startswith("repo_url:"):
            return line.split(":", 1)[1].strip().strip("'\"").rstrip("/")
    return ""


def load_sidecar(path: Path, problems: list[Problem], name: str) -> dict:
    """seeds/<name>.yml; `name` is how messages show it (relative to the project, like every path)."""
    side = path.with_suffix(".yml")
    if not side.exists():
        return {}
    try:
        data = yaml.safe_load(side.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem(name, mark.line + 1 if mark else None, f"YAML syntax: {exc}", "fix the YAML"))
        return {}
    allowed = {"title", "date", "region", "issuer", "source_url", "source_name", "furniture"}
    for key in sorted(set(data) - allowed):
        problems.append(Problem(name, None, f"unknown sidecar field `{key}`", f"use one of {', '.join(sorted(allowed))}"))
    return data


def read_report(project: Project, path: Path, problems: list[Problem]) -> tuple[bytes, Report | None]:
    """One seed, read and parsed: stages 1–3."""
    name = path.relative_to(project.root).as_posix()
    sidecar = load_sidecar(path, problems, name[:-len(".txt")] + ".yml")
    raw, src, found = ingest.ingest(path, sidecar, name)
    problems += found
    if src is None:
        return raw, None
    report, found = structure.build_report(src, sidecar)
    problems += found
    return raw, report


def seed_paths(project: Project, problems: list[Problem]) -> list[Path]:
    seeds = sorted(project.seeds.glob("*.txt"))
    if not seeds:
        problems.append(Problem(str(project.seeds), None, "no seeds/*.txt found", "add a report's text as seeds/<name>.txt"))
    return seeds


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
    # The terms' automaton: built on first use, once per build and per process.
    matchers: dict = field(default_factory=dict)


@dataclass
class ReportAnalysis:
    """One report through stages 1–4: everything the site needs of it, and what was wrong with it."""

    raw: bytes
    report: Report | None
    problems: list[Problem]
    official: list[Term] = field(default_factory=list)  # the report's own 名词解释 entries
    markers: list = field(default_factory=list)
    # Plain tuples (Occurrence fields): they cross from a worker to the main process, and named
    # tuples pickle five times slower (a Python call each).
    occurrences: list[tuple] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)


def analyse(given: AnnotationSet, path: Path) -> ReportAnalysis:
    problems: list[Problem] = []
    raw, report = read_report(given.project, path, problems)
    out = ReportAnalysis(raw, report, problems)
    if report is None:
        return out
    glossary = official_glossary.read(report, annotations.to_pinyin)
    problems += glossary.problems + official_glossary.shadowed(glossary.terms, given.terms, report)
    out.official, out.markers = glossary.terms, glossary.markers
    # The report's own entries come first: they are marked before shared ones of the same form.
    out.occurrences = matching.find_occurrences(report, given.terms, given.matchers, glossary.terms)
    out.anchors = matching.anchor_notes(report, given.notes_by_report.get(report.id, []), problems)
    # The seed's decoded text and lines stay here: the sections hold its words, `raw` its bytes, and
    # the report crosses to the main process pickled (they were two fifths of it).
    report.source = replace(report.source, raw="", lines=[])
    return out


def attach(project: Project, problems: list[Problem], jobs: int = 1) -> tuple[Site, dict[str, bytes]]:
    """Stages 1–4 for every seed (in `jobs` processes), then the checks that span reports."""
    terms = annotations.load_terms(project.annotations / "terms", problems, project.root, jobs)
    notes = annotations.load_notes(project.annotations / "notes", problems, project.root)
    by_report: dict[str, list[Note]] = defaultdict(list)
    for note in notes:
        by_report[note.report].append(note)
    analyses = fork_map(analyse, AnnotationSet(project, terms, dict(by_report)), seed_paths(project, problems), jobs)
    site = Site(reports=[], terms={t.id: t for t in terms}, occurrences={}, anchors={},
                repo_url=read_repo_url(project.root))
    raws: dict[str, bytes] = {}  # report id → the seed's bytes, published as they are
    for a in analyses:
        problems += a.problems
        if a.report is None:
            continue
        report = a.report
        site.reports.append(report)
        raws[report.id] = a.raw
        site.terms.update((t.id, t) for t in a.official)
        if a.markers:
            site.markers[report.id] = a.markers
        site.occurrences[report.id] = list(map(Occurrence._make, a.occurrences))
        site.anchors[report.id] = a.anchors
    annotations.check_overlaps(terms, site.reports, problems)
    known = {r.id: r for r in site.reports}
    for note in notes:
        if note.report not in known:
            problems.append(Problem(note.file, 1, f"report `{note.report}` is not in seeds/",
                                    "use the seed file name without .txt"))
    _resolve_passages(site, terms, known, problems)
    return site, raws


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


class RenderedPages(Mapping):
    """Page path → bytes, each page rendered when it is asked for and not kept: a site of hundreds
    of reports is a gigabyte of Markdown, which must not sit in memory all at once."""

    def __init__(self, makers: dict[str, Callable[[], str | bytes]]):
        self._makers = makers

    def __getitem__(self, path: str) -> bytes:
        page = self._makers[path]()
        return page if isinstance(page, bytes) else page.encode("utf-8")

    def __contains__(self, path: object) -> bool:
        return path in self._makers

    def __iter__(self):
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)


def render(site: Site, raws: dict[str, bytes]) -> RenderedPages:
    out: dict[str, Callable[[], str | bytes]] = {
        "index.md": partial(pages.home_page, site),
        f"{ROOT}/.nav.yml": partial(pages.nav, site),
        f"{ROOT}/.jieba-user.txt": partial(pages.jieba_user_dict, site)}
    for number, page in enumerate(pages.shared_terms_paging(site).pages):
        out[page.path] = partial(pages.shared_glossary, site, number)
    for number, page in enumerate(pages.index_paging(site).pages):
        out[page.path] = partial(pages.term_index, site, number)
    for report in site.reports:
        base = pages.report_dir(report)
        out[f"{base}/index.md"] = partial(pages.landing_page, site, report)
        for number, page in enumerate(pages.report_terms_paging(site, report).pages):
            out[page.path] = partial(pages.report_glossary, site, report, number)
        out[f"{base}/print.md"] = partial(pages.print_page, site, report)
        out[f"{base}/raw.txt"] = partial(raws.__getitem__, report.id)
        for section in report.sections:
            out[pages.section_path(report, section.slug)] = partial(pages.section_page, site, report, section)
    return RenderedPages(out)


def build(root: Path, jobs: int = 1) -> BuildResult:
    """Stages 1–5; `jobs` processes analyse the reports (writing is the caller's, see write.py)."""
    result = BuildResult()
    site, raws = attach(Project(root), result.problems, jobs)
    result.site, result.reports = site, site.reports
    if result.errors:
        return result
    result.outputs = render(site, raws)
    return result
