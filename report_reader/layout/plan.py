"""The layout phase: once every report is known and before any page renders, what pages need to
know of the whole site is fixed and frozen: the shared glossary's pages, where each local entry
lives, which passages term items point at, what reports are called. Workers receive it (pickled:
only what they need); each report's glossary pages were cut where its occurrences are."""

from __future__ import annotations

from dataclasses import dataclass
from .glossaries import home_entry, shared_terms_paging
from .names import short_name
from .paging import Paging
from .site import Site


@dataclass(frozen=True)
class SiteLayout:
    """Read-only once made (its tables are copied where a site takes them)."""

    shared_glossary: Paging  # outline: pages, letters, where each entry is
    home_entries: dict[str, str | None]  # local term id → the page of its entry for readers elsewhere
    item_links: dict  # (term id, item) → [(report id, section, paragraph)]
    source_links: dict
    report_labels: dict[str, str]  # report id → short name


def lay_out(site: Site) -> SiteLayout:
    """Computes the layout from the site as the main process holds it, and installs it there."""
    labels = {r.id: short_name(r) for r in site.reports}
    site.report_labels = labels
    homes = {t.id: home_entry(site, t) for t in site.terms.values() if not t.scope.everywhere}
    return SiteLayout(shared_terms_paging(site).outline(), homes, dict(site.item_links), dict(site.source_links), labels)


def install(site: Site, layout: SiteLayout) -> None:
    """A worker's site takes the layout the main process fixed."""
    site.shared_glossary, site.home_entries = layout.shared_glossary, dict(layout.home_entries)
    site.item_links, site.source_links = dict(layout.item_links), dict(layout.source_links)
    site.report_labels = dict(layout.report_labels)
