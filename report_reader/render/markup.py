"""A section's body as HTML: headings, leads and paragraphs with their spans, the page's term list,
notes and sources, a report's outline. Per-paragraph and per-occurrence loops live here, in Python,
for speed; the pages around them are templates (see pages.py)."""

from __future__ import annotations

import re
from collections import Counter

from markupsafe import Markup

from ..escaping import esc
from ..layout.names import short_title
from ..layout.site import Site, occurrence_index
from ..layout.urls import edit_link, figures_path, rel, section_path, tree_link
from ..model import Anchor, Paragraph, Report, Section, Term
from ..sources import host_of
from ..typography import display
from ..annotation_markdown import sanitize_markdown
from .html import paragraph_html
from .spans import Place, spans_for
from .templating import render
from .terms import TermTags, for_paper, status_badge, term_html

def add_note_link(site: Site, report: Report, section: Section, number: int) -> str:
    """After a paragraph's words: a link to the report's notes folder on GitHub. reader.js turns it,
    when it is used, into GitHub's new-file editor with a note prefilled from the paragraph's words
    (data-note names the file); prefilled in the page, it weighed 1.7 KB a paragraph."""
    if not site.repo_url:
        return ""
    folder = esc(tree_link(site, f"annotations/notes/{report.id}"))
    return (f'<a class="rr-addnote" href="{folder}" data-note="{section.slug}-p{number}" data-pagefind-ignore '
            f'aria-label="在 GitHub 上为第 {number} 段添加注释">加注</a>')


def paragraph_figures_link(site: Site, report: Report, slug: str, number: int, page: str) -> str:
    """After a paragraph's words, on its section page: a link to its rows in the 数据 page, when the
    table holds figures of it. Not in print (tools are not), and never in the words themselves."""
    tables = site.tables.of(report.id)
    if tables.figure_places is None:  # asked once per paragraph
        tables.figure_places = Counter((f.section, f.paragraph) for f in report.figures)
    count = tables.figure_places.get((slug, number))
    if not count:
        return ""
    href = esc(rel(page, figures_path(report)) + f"#{slug}-p{number}")
    return (f'<a class="rr-figref" href="{href}" data-pagefind-ignore '
            f'aria-label="第 {number} 段的 {count} 个数字在数据表中">数据</a>')


def heading_ids(section: Section) -> dict[int, str]:
    """Stable ids of a section's sub-headings from their own numbering: （二） under 一、 is "c2",
    a 1. below it "c2-1". Keyed by the heading's seed line."""
    ids: dict[int, str] = {}
    path: dict[int, int] = {}
    for block in section.blocks:
        if block.heading:
            h = block.heading
            path = {lv: n for lv, n in path.items() if lv < h.level}
            path[h.level] = h.number
            ids[h.line] = "c" + "-".join(str(path[lv]) for lv in sorted(path))
    return ids


def render_blocks(site: Site, report: Report, section: Section, tags: TermTags,
                  base_level: int, with_tools: bool = True, html_headings: bool = False) -> list[str]:
    """A section's headings and paragraphs. Headings are Markdown, so they enter the page's table of
    contents; with `html_headings` they are HTML and stay out of it (see print_page)."""
    id_prefix = tags.id_prefix
    out: list[str] = []
    top = section.heading.level if section.heading else 0
    level_now = base_level - 1  # leads sit one level below the nearest heading: the page title at first
    ids = heading_ids(section)
    for block in section.blocks:
        if block.heading:
            h = block.heading
            depth = h.level - top if top else h.level
            level_now = min(base_level + depth - 1, 6)
            hid = id_prefix + ids[h.line]
            if html_headings:
                out.append(f'<h{level_now} id="{hid}">{esc(display(h.marker + h.title))}</h{level_now}>\n')
            else:
                out.append(f"{'#' * level_now} {md_text(h.marker)}{md_text(h.title)} {{#{hid}}}\n")
            continue
        p = block.paragraph
        pid = id_prefix + p.id
        tools = (paragraph_figures_link(site, report, section.slug, p.number, tags.page)
                 + add_note_link(site, report, section, p.number)) if with_tools else ""
        lead_html, body = _paragraph_html(site, report, section, p, tags)
        if p.lead:
            level = min(level_now + 1, 6)
            if html_headings:
                out.append(f'<h{level} id="{pid}" class="rr-lead" data-n="{p.number}">{lead_html}</h{level}>\n')
            else:
                # Markdown-escape the words between tags (a lead may start with "1." or hold "*")
                lead_md = "".join(part if part.startswith("<") else _md_escape(part) for part in re.split(r"(<[^>]*>)", lead_html))
                out.append(f'{"#" * level} {lead_md} {{#{pid} .rr-lead data-n="{p.number}"}}\n')
            out.append(f'<p class="rr-p rr-p--led" data-n="{p.number}">{body}{tools}</p>\n')
        else:
            permalink = f'<a class="rr-pl" href="#{pid}" aria-label="第 {p.number} 段的链接"></a>'
            out.append(f'<p class="rr-p" id="{pid}" data-n="{p.number}">{permalink}{body}{tools}</p>\n')
    return out


def _paragraph_html(site: Site, report: Report, section: Section, p: Paragraph, tags: TermTags) -> tuple[str, str]:
    """A paragraph's lead ("" when it has none) and body, words and marks, as HTML. The whole-report
    print page shows what the section pages show, with plain links for marks: a paragraph is marked
    up once, for its section page, and the print page takes that copy with the tooltips taken off.
    Paragraphs with notes are marked up for each page, as note ids differ between them."""
    tables = site.tables.of(report.id)
    noted = tables.noted
    if noted is None:
        noted = tables.noted = {(a.section, a.paragraph) for a in site.anchors.get(report.id, ())}
    key = (section.slug, p.number)
    screen = tables.screen_paragraphs
    if not tags.tips and key in screen:
        lead_html, body = screen.pop(key)
        return for_paper(lead_html), for_paper(body)
    lead_html = ""
    if p.lead:
        lead_html = paragraph_html(p.lead, spans_for(Place(site, report, section, p, len(p.lead), 0, tags)))
        body = paragraph_html(p.body, spans_for(Place(site, report, section, p, len(p.body), len(p.lead), tags)))
    else:
        body = paragraph_html(p.text, spans_for(Place(site, report, section, p, len(p.text), 0, tags)))
    if tags.tips and not tags.id_prefix and key not in noted:
        screen[key] = (lead_html, body)
    return lead_html, body


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]#+\-.!|])", r"\\\1", text)


def md_text(text: str) -> str:
    """Report words inside Markdown (headings): display typography, HTML and Markdown escaped."""
    return _md_escape(esc(display(text)))


def terms_in(site: Site, report: Report, slug: str | None = None) -> list[Term]:
    """Terms used (marked or nested) in a section, or the whole report, in order of first use."""
    index = occurrence_index(site, report)
    ids = index.counts if slug is None else index.terms_by_section.get(slug, ())
    return [site.terms[t] for t in ids]


def term_list_html(site: Site, terms: list[Term], tags: TermTags | None) -> str:
    """A page's terms with their short definitions. On screen each is a target of its marks'
    aria-describedby and links to the full entry; on paper (tags None) it is plain text. Out of
    search: a search for a term should find the paragraph that uses it."""
    if tags is not None:
        known, item = tags.items.get, tags.list_item
        return f'<dl class="rr-termlist" data-pagefind-ignore>\n{lines([known(t.id) or item(t.id) for t in terms])}</dl>\n'
    plain_items = site.tables.plain_term_items
    items = []
    for t in terms:
        text = plain_items.get(t.id)
        if text is None:
            h = term_html(site, t)
            text = plain_items[t.id] = f'<dt>{h.term} {h.pinyin}</dt><dd>{h.short}{h.flag}</dd>'
        items.append(text)
    return f'<dl class="rr-termlist" data-pagefind-ignore>\n{lines(items)}</dl>\n'


def notes_html(site: Site, anchors: list[Anchor], id_prefix: str = "") -> str:
    notes = [{"id": f"{id_prefix}n{a.number}", "number": a.number, "quote": a.note.quote,
              "badge": Markup("" if a.note.sources else " " + status_badge("unverified")),
              "body": Markup(sanitize_markdown(a.note.body)), "sources": sources_html(site, a.note.sources),
              "author": a.note.author, "edit": edit_link(site, a.note.file)} for a in anchors]
    return render("notes.html", notes=notes) + "\n"


def sources_html(site: Site, sources) -> Markup:
    if not sources:
        return Markup("")
    return Markup(render("sources.html", sources=[
        {"report": s.report, "quote": s.quote, "name": site.report_labels.get(s.report)} if s.report else
        {"report": "", "url": s.url, "title": s.title, "publisher": s.publisher, "date": s.date, "via": s.via,
         "via_host": s.via and (host_of(s.via) or s.via)}
        for s in sources]))


def outline_html(report: Report, page: str) -> str:
    items = []
    for s in report.sections:
        target = section_path(report, s.slug)
        subs = []
        ids = heading_ids(s)
        for block in s.blocks:
            if block.heading:
                h = block.heading
                subs.append(f'<li><a href="{esc(rel(page, target + "#" + ids[h.line]))}">{esc(display(h.marker + h.title))}</a></li>')
            elif block.paragraph.lead:
                p = block.paragraph
                subs.append(f'<li><a href="{esc(rel(page, target + "#" + p.id))}">{esc(display(p.lead))}</a></li>')
        sub = f"<ul>{''.join(subs)}</ul>" if subs else ""
        items.append(f'<li><a href="{esc(rel(page, target))}">{esc(display(short_title(s)))}</a>{sub}</li>')
    return f'<ol class="rr-outline" data-pagefind-ignore>\n{lines(items)}</ol>\n'


def _source_dd(report: Report) -> str:
    if not report.source_url:
        return ""
    url = report.source_url
    if url.startswith(("http://", "https://")):
        return f'<dt>原文网页</dt><dd><a href="{esc(url)}" rel="noopener noreferrer">{esc(url)}</a></dd>'
    return f'<dt>原文网页</dt><dd><code>{esc(url)}</code>（转载站点的相对地址，原页面未给出域名）</dd>'


def lines(items: list[str]) -> str:
    """Items one per line, so a person can read the generated page (no blank line: it would end
    Markdown's HTML block)."""
    return "\n".join([item for item in items if item] + [""])
