"""`build_docs.py import FILE.pdf`: a report published as a PDF becomes a seed. Its text (pdftotext)
is written as seeds/<name>.txt exactly as extracted, page numbers and running headers included (the
build removes them by rule and lists them, like any furniture), and seeds/<name>.yml records what
the build detects in it (title, date, region, script, furniture) for the maintainer to review."""

from __future__ import annotations

import argparse
import os
import sys
import re
import tempfile
from pathlib import Path

import yaml

from . import ingest, pdftext, structure
from .model import Problem

NAME_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")


def main(argv: list[str], root: Path) -> int:
    parser = argparse.ArgumentParser(prog="build_docs.py import", description="Make a seed from a report's PDF.")
    parser.add_argument("pdf", type=Path, help="the report as published (PDF with a text layer)")
    parser.add_argument("--name", help="seed name (lowercase letters, digits, hyphens): seeds/<name>.txt; "
                        "default: the PDF's file name")
    parser.add_argument("--root", type=Path, default=root, help="project folder")
    parser.add_argument("--force", action="store_true", help="replace an existing seed and sidecar")
    args = parser.parse_args(argv)
    problem = import_pdf(args.pdf, args.root, args.name, args.force)
    if isinstance(problem, Problem):
        print(problem, file=sys.stderr)
        return 1
    print(problem)
    return 0


def import_pdf(pdf: Path, root: Path, name: str | None = None, force: bool = False) -> Problem | str:
    """Write the seed and its sidecar; a Problem (nothing written) or the summary to print."""
    shown = str(pdf)
    name = name or pdf.stem
    if not NAME_RE.fullmatch(name):
        return Problem(shown, None, f"“{name}” cannot name a seed",
                       "give one with --name: lowercase letters, digits and hyphens, e.g. --name guangdong-2026")
    if not pdf.is_file():
        return Problem(shown, None, "no such file", "give the path of the report's PDF")
    if pdf.read_bytes()[:5] != b"%PDF-":
        return Problem(shown, None, "this is not a PDF", "import takes a PDF; put a text report in seeds/ as it is")
    seeds = root / "seeds"
    seed, side = seeds / f"{name}.txt", seeds / f"{name}.yml"
    existing = [p for p in (seed, side) if p.exists()]
    if existing and not force:
        return Problem(existing[0].relative_to(root).as_posix(), None, "already exists",
                       "choose another --name, or pass --force to replace the seed and its sidecar")
    try:
        text = pdftext.extract(pdf)
    except pdftext.ExtractError as exc:
        return Problem(shown, None, f"no text could be read: {exc}", "check that the file opens in a PDF reader")
    if len(re.findall(r"[\u4e00-\u9fff]", text)) < 100:
        return Problem(shown, None, "the PDF has (almost) no text layer: it is a scan",
                       "run OCR on it first (e.g. ocrmypdf -l chi_sim), then import the result")
    seed_name = f"seeds/{name}.txt"
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / f"{name}.txt"
        probe.write_text(text, encoding="utf-8")
        _, src, problems = ingest.ingest(probe, {}, seed_name)
    if src is None:
        return problems[0] if problems else Problem(shown, None, "no report text found", "check the PDF")
    report, found = structure.build_report(src, {})
    sidecar = _sidecar(report, src, problems + found)
    seeds.mkdir(exist_ok=True)
    _write(seed, text)
    _write(side, sidecar)
    pages = sum(r.rule == pdftext.PAGE_NUMBER_RULE for r in src.removed)
    return (f"wrote {seed_name} ({len(text.splitlines())} lines, {pages} page numbers) and seeds/{name}.yml: "
            f"“{report.display_title}”, {report.date or 'date not found'}, {'/'.join(report.region) or 'region not found'}. "
            "Review the sidecar, then run build_docs.py.")


def _sidecar(report, src, problems: list[Problem]) -> str:
    """What was detected: fields the maintainer confirms or corrects, with what the build will remove."""
    fields = {}
    if report.title:
        fields["title"] = report.title
    if report.date:
        fields["date"] = report.date
    if report.region:
        fields["region"] = list(report.region)
    removed: dict[str, list[str]] = {}
    for r in src.removed:
        removed.setdefault(r.rule, []).append(r.text)
    notes = [f"Detected by `build_docs.py import` from the PDF's text: review, correct, or delete what is wrong.",
             f"script: {report.script}; congress: {report.congress or 'not found'}; "
             f"headings: {sum(1 for s in report.sections if s.heading)} top-level sections",
             "The build removes (rule: lines):"]
    notes += [f"  {rule}: {len(texts)}, e.g. {texts[0][:40]!r}" for rule, texts in sorted(removed.items())]
    notes += [f"warning: {p.message}"[:200] for p in problems if p.severity == "warning"]
    comment = "".join(f"# {line}\n" for n in notes for line in n.splitlines())
    body = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, default_flow_style=None) if fields else ""
    return comment + body


def _write(path: Path, text: str) -> None:
    """Through a temporary file in the same folder, so a seed is never half written."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
