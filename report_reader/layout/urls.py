"""Every page's address and every relative link between pages, in one place (as MkDocs'
File.url_relative_to): docs paths such as reports/<id>/s3/index.md, the folders MkDocs serves them
as, and the links from one to another. Nothing else builds a path or a relative URL.

Every generated page is the index.md of its own folder, served as that folder. Its links are raw
HTML, which MkDocs leaves alone (relative to the page's address) while Zensical rewrites them as
relative to the source file; with the file in the folder it is served as, both read them alike."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from ..model import Report

if TYPE_CHECKING:
    from .site import Site

ROOT = "reports"  # the folder of generated pages, which the build owns completely
HOME = "index.md"
CONTRIBUTING = "contributing.md"
NAV = f"{ROOT}/.nav.yml"
SHARED_GLOSSARY = f"{ROOT}/glossary"  # paged: glossary/index.md, glossary-s/index.md ...
TERM_INDEX = f"{ROOT}/terms"
TARGETS_DIR = f"{ROOT}/targets"  # the comparison of one year's targets: reports/targets/<year>/index.md and <year>.csv
PRINT_CSS = "assets/print.css"  # hand-written, in docs/assets/
PRINT_PAGE_CSS = "assets/print-page.css"  # the whole-report print page on screen


def page_file(folder: str) -> str:
    """The docs path of the page served as `folder`/."""
    return f"{folder}/index.md"


def report_dir(report: Report) -> str:
    return f"{ROOT}/{report.id}"


def landing_path(report: Report) -> str:
    return f"{ROOT}/{report.id}/index.md"


def print_path(report: Report) -> str:
    """The whole report on paper: an HTML document of its own, which MkDocs copies as it is."""
    return f"{ROOT}/{report.id}/print/index.html"


def raw_path(report: Report) -> str:
    return f"{ROOT}/{report.id}/raw.txt"


def figures_path(report: Report) -> str:
    return page_file(f"{ROOT}/{report.id}/figures")


def figures_csv_path(report: Report) -> str:
    return f"{ROOT}/{report.id}/figures.csv"


def comparison_path(year: str) -> str:
    return page_file(f"{TARGETS_DIR}/{year}")


def comparison_csv_path(year: str) -> str:
    return f"{TARGETS_DIR}/{year}.csv"


def glossary_base(report: Report) -> str:
    """The report glossary's folder (paged like the shared one: glossary/, glossary-s/ ...)."""
    return f"{ROOT}/{report.id}/glossary"


def section_path(report: Report, slug: str) -> str:
    return section_path_of(report.id, slug)


def section_path_of(report_id: str, slug: str) -> str:
    """A section's page, from the report's id alone (a term item may point into a report that
    another process holds)."""
    return page_file(f"{ROOT}/{report_id}/{slug}")


def rel(from_page: str, to: str) -> str:
    """Relative URL between two docs paths (a.md, a/index.md, or a document of its own, a/index.html),
    as MkDocs' directory URLs serve them."""
    target, _, fragment = to.partition("#")
    return _rel_path(from_page, target) + (f"#{fragment}" if fragment else "")


@lru_cache(maxsize=200_000)  # pages link the same few pages thousands of times
def _rel_path(from_page: str, target: str) -> str:
    # Docs paths are plain relative paths ("reports/x/s1/index.md"): a common prefix of their parts is
    # enough, at a fraction of posixpath.relpath's cost (it makes both paths absolute first).
    base = url_parts(from_page)
    folder = target.endswith((".md", "/index.html"))  # served as its folder
    dest = url_parts(target) if folder else target.split("/")
    k = 0
    while k < len(base) and k < len(dest) and base[k] == dest[k]:
        k += 1
    out = "../" * (len(base) - k) + "/".join(dest[k:])
    return out + "/" if folder and k < len(dest) else out


def url_parts(path: str) -> list[str]:
    """The folder MkDocs serves a page as: a/index.md and a/index.html → a/, a/b.md → a/b/ (hand-written pages)."""
    parts = (path[:-3] if path.endswith(".md") else path).split("/")
    if parts[-1] in ("index", "index.html"):
        parts.pop()
    return [p for p in parts if p]


def served_path(page: str) -> str:
    """A page's address below the site's root: reports/x/s3/index.md → reports/x/s3/."""
    parts = url_parts(page)
    return "/".join(parts) + "/" if parts else ""


def depth(page: str) -> int:
    """How many folders deep a page is served: pages at one depth link to a page alike."""
    return len(url_parts(page))


def anchor(page: str, path: str, fragment: str) -> str:
    """A link from `page` to an id on page `path`: just "#id" when that is this page."""
    return f"#{fragment}" if path == page else f"{rel(page, path)}#{fragment}"


def edit_link(site: Site, path: str) -> str:
    return f"{site.repo_url}/edit/{site.branch}/{path}" if site.repo_url else ""


def tree_link(site: Site, path: str) -> str:
    return f"{site.repo_url}/tree/{site.branch}/{path}" if site.repo_url else ""
