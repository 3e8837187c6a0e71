"""A term's pieces of HTML: its status badge and category, escaped once per site, and the opening
tag of its marks on a page (TermTags)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..escaping import esc
from ..layout.glossaries import entry_href
from ..layout.site import Site
from ..layout.urls import depth
from ..model import Report, Term
from ..sources import BASIS, rests_on
from ..typography import display

STATUS = {"verified": ("已核实", "rr-status--ok"), "unverified": ("未核实", "rr-status--unverified"),
          "official": ("报告原文释义", "rr-status--official")}


CATEGORY = {"slogan": "提法口号", "abbreviation": "缩略语", "policy": "政策制度", "institution": "机构主体",
            "programme": "工程项目", "statistic": "统计指标", "honour": "称号荣誉", "place": "地名设施",
            "law": "法规", "general": "一般术语"}


@dataclass(frozen=True)
class TermHTML:
    """A term's pieces of HTML, escaped once per site: a large site prints each term on hundreds of pages."""

    id: str
    term: str  # display form
    pinyin: str  # <span>
    english: str  # " <span lang=en>", or "" for a term without an English name
    short: str
    flag: str  # " <badge of what it rests on>"
    basis: str  # what it rests on: a key of sources.BASIS
    title: str  # <h3> of its glossary entries
    meta: str  # <p> pinyin · English · category · status


def term_html(site: Site, term: Term) -> TermHTML:
    table = site.tables.term_html
    h = table.get(term.id)
    if h is None:
        tid = esc(term.id)
        basis, _, badge = rests_on_badge(term)
        h = table[term.id] = TermHTML(
            id=tid, term=esc(display(term.term)),
            pinyin=f'<span class="rr-pinyin" lang="zh-Latn-pinyin">{esc(term.pinyin)}</span>', short=esc(term.short),
            english=f' <span lang="en">{esc(term.english)}</span>' if term.english else "",
            flag=" " + badge, basis=basis,
            # Raw HTML, not a Markdown heading: the table of contents lists letters, not thousands of entries.
            title=f'<h3 class="rr-entry-title" id="{tid}">{esc(display(term.term))}<a class="headerlink" href="#{tid}" title="本条链接">¶</a></h3>\n',
            meta=(f'<p class="rr-entry-meta"><span class="rr-pinyin" lang="zh-Latn-pinyin">{esc(term.pinyin)}</span> · '
                  + (f'<span lang="en">{esc(term.english)}</span> · ' if term.english else "")
                  + f'{CATEGORY[term.category]} · {badge}</p>'))
    return h


def status_badge(status: str) -> str:
    label, cls = STATUS[status]
    return f'<span class="rr-status {cls}">{label}</span>'


def rests_on_badge(term: Term) -> tuple[str, str, str]:
    """What an entry rests on (official source, media report, the report's own words, unverified): the
    key, its label and its badge. An entry from the report's own 名词解释 keeps its own label."""
    basis = rests_on(term.status, term.sources)
    label = STATUS["official"][0] if term.status == "official" else BASIS[basis]
    return basis, label, f'<span class="rr-status rr-basis rr-basis--{basis}">{label}</span>'


class TermTags:
    """The opening tag of each term's mark on one page, built once per term, not per occurrence.
    On screen a mark points the screen reader (and reader.js, for its tooltip) at the page's term
    list; on the whole-report print page it is a plain link, as paper has no hover."""

    def __init__(self, site: Site, report: Report, page: str, id_prefix: str = "", tips: bool = True):
        self.site, self.report, self.page, self.id_prefix, self.tips = site, report, page, id_prefix, tips
        # A shared term's tag is the same on every section and print page (they all sit two folders
        # below reports/): built once per site, not once per page. Local terms link into this report.
        shared = site.tables.term_tags.setdefault((depth(page), id_prefix, tips), ({}, {}))
        # term id → opening tag, and → term list item. Hot loops look them up with dict.get and call
        # by_id / list_item only for a term not seen yet at this depth, or a local one.
        self.tags: dict[str, str] = shared[0]
        self.items: dict[str, str] = shared[1]
        self._here: dict[str, tuple[str, str]] = {}  # local terms' (they link into this report)
        self._hrefs: dict[str, str] = {}

    def by_id(self, term_id: str) -> str:
        return self.tags.get(term_id) or self._local(term_id)[0]

    def list_item(self, term_id: str) -> str:
        """The term's line in the page's term list: the target its marks' aria-describedby names."""
        return self.items.get(term_id) or self._local(term_id)[1]

    def _local(self, term_id: str) -> tuple[str, str]:
        made = self._here.get(term_id)
        if made is None:
            made = self._make(term_id)
        return made

    def _make(self, term_id: str) -> tuple[str, str]:
        term = self.site.terms[term_id]
        h = term_html(self.site, term)
        href = self.href(term)
        if self.tips:  # what for_paper takes off again: keep the two in step
            # No tooltip text on the mark: it is in the page's term list once, where reader.js reads it.
            tag = f'<a class="rr-term" href="{href}" aria-describedby="{self.id_prefix}t-{h.id}">'
            item = f'<dt id="{self.id_prefix}t-{h.id}"><a href="{href}">{h.term}</a> {h.pinyin}{h.english}</dt><dd>{h.short}{h.flag}</dd>'

        else:  # paper: the page's term list is plain text (term_list_html without tags)
            tag, item = f'<a class="rr-term" href="{href}">', ""
        if term.scope.everywhere:
            self.tags[term_id], self.items[term_id] = tag, item
        else:
            self._here[term_id] = (tag, item)
        return tag, item

    def href(self, term: Term) -> str:
        """The term's full entry, HTML-escaped."""
        href = self._hrefs.get(term.id)
        if href is None:
            href = self._hrefs[term.id] = esc(entry_href(self.site, term, self.page, self.report))
        return href


# What a term's mark has on screen and not on paper (see TermTags._make): what describes it.
# Words never hold a bare '"' (they are escaped), and no other tag has this attribute. The print
# page reuses a section page's paragraphs through this.
_SCREEN_ONLY = re.compile(r' aria-describedby="[^"]*"')


def for_paper(html: str) -> str:
    """A paragraph marked up for the screen, as the print page shows it: term marks as plain links."""
    return _SCREEN_ONLY.sub("", html)
