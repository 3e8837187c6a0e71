"""Long lists (glossaries, the term index) cut into pages of bounded size, by initial letter: a
glossary of 5,000 entries or an index of 500 reports is not one page of tens of megabytes, yet a
short one stays a single page at its usual address."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from .urls import page_file

T = TypeVar("T")

# Estimated bytes of Markdown per page. Raw HTML passes through MkDocs unchanged and the theme adds
# about 60 KB, so a page stays well under the 500 KB of HTML a reader should have to load.
BUDGET = 200_000


@dataclass
class Page(Generic[T]):
    path: str  # docs path: base/index.md, then base-<letter>/index.md
    groups: list[tuple[str, list[T]]] = field(default_factory=list)  # (letter, entries), in order
    continued: str = ""  # a letter begun on the page before, if the page opens with its rest
    size: int = 0

    @property
    def label(self) -> str:
        """What the page holds, for navigation: "A–F", or "S" for one letter."""
        first, last = self.groups[0][0], self.groups[-1][0]
        return letter_label(first) if first == last else f"{letter_label(first)}–{letter_label(last)}"


@dataclass
class Paging(Generic[T]):
    pages: list[Page[T]]
    page_of: dict[str, str]  # entry key → path of its page
    letter_page: dict[str, str]  # letter → path of the page where it begins

    def __len__(self) -> int:
        return len(self.pages)

    def outline(self) -> "Paging[T]":
        """The pages without their entries (letters, paths, labels, and where each entry is): what
        pages elsewhere need to link into this one, sent from a worker to the main process."""
        pages = [Page(p.path, [(c, []) for c, _ in p.groups], p.continued, p.size) for p in self.pages]
        return Paging(pages, self.page_of, self.letter_page)


def letter_label(letter: str) -> str:
    return "数字" if letter == "#" else letter


def letter_id(letter: str) -> str:
    return "letter-num" if letter == "#" else f"letter-{letter.lower()}"


def paginate(base: str, entries: Sequence[T], keys: Sequence[str], letters: Sequence[str], sizes: Sequence[int],
             budget: int | None = None) -> Paging[T]:
    """`entries` in their final order, each with its key (the anchor pages link to), letter and size
    in bytes, given as lists: a report's glossary has a thousand entries and the site hundreds of
    glossaries, so callers make them in one comprehension each. Whole letters share a page while
    they fit; a letter larger than a page is split between entries. Page names come from their first
    letter (glossary-s/), so adding an entry under B does not move the pages after it unless B's
    page overflows."""
    budget = BUDGET if budget is None else budget
    entries = list(entries)
    # Runs of one letter as (letter, first, end); the per-entry work is left to slices and sum.
    runs: list[tuple[str, int, int]] = []
    for i, c in enumerate(letters):
        if not runs or runs[-1][0] != c:
            if runs:
                runs[-1] = (runs[-1][0], runs[-1][1], i)
            runs.append((c, i, len(entries)))
    pages: list[Page[T]] = [Page(page_file(base))]
    page_runs: list[list[tuple[str, int, int]]] = [[]]  # each page's (letter, first, end) runs

    def new_page(c: str, continued: bool) -> None:
        pages.append(Page("", continued=c if continued else ""))
        page_runs.append([])

    for c, a, b in runs:
        total = sum(sizes[a:b])
        if pages[-1].size + total > budget and page_runs[-1]:
            new_page(c, False)
        if pages[-1].size + total <= budget:
            page_runs[-1].append((c, a, b))
            pages[-1].size += total
            continue
        for i in range(a, b):  # a letter longer than a page: split it between entries
            n = sizes[i]
            if page_runs[-1] and pages[-1].size + n > budget:
                new_page(c, page_runs[-1][-1][0] == c)
            if page_runs[-1] and page_runs[-1][-1][0] == c:
                page_runs[-1][-1] = (c, page_runs[-1][-1][1], i + 1)
            else:
                page_runs[-1].append((c, i, i + 1))
            pages[-1].size += n
    for page, runs_here in zip(pages, page_runs):
        page.groups = [(c, entries[a:b]) for c, a, b in runs_here]
    if not pages[0].groups:
        pages = pages[:1]
    taken = {pages[0].path}
    for page in pages[1:]:
        stem = f"{base}-{'num' if page.groups[0][0] == '#' else page.groups[0][0].lower()}"
        name, n = page_file(stem), 2
        while name in taken:
            name, n = page_file(f"{stem}{n}"), n + 1
        page.path = name
        taken.add(name)
    page_of: dict[str, str] = {}
    letter_page: dict[str, str] = {}
    for page, runs_here in zip(pages, page_runs):
        for c, a, b in runs_here:
            letter_page.setdefault(c, page.path)
            page_of.update(dict.fromkeys(keys[a:b], page.path))
    return Paging(pages, page_of, letter_page)
