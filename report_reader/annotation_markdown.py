"""Annotation Markdown (explanations, note bodies) → safe HTML: what contributors may write, and
nothing that could run in a reader's browser. A text helper that knows no stage: annotations.py
converts each text once as it reads the file, the render layer prints it."""

from __future__ import annotations

import re
from functools import lru_cache

import markdown as md
import nh3

# What annotation Markdown may produce: text formatting, lists, links, tables. No script, style,
# event handler, iframe, form, image or non-http(s)/mailto URL reaches the site.
ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
                "a", "sup", "sub", "table", "thead", "tbody", "tr", "th", "td", "del", "ins", "abbr", "span"}
ALLOWED_ATTRS = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}


# One converter, reset before each text: building a Markdown instance costs more than converting a note.
_MARKDOWN = md.Markdown(extensions=["tables", "sane_lists"], output_format="html")
# One sanitiser, built once: nh3.clean() builds its allow-lists again on every call.
_CLEANER = nh3.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS, url_schemes={"http", "https", "mailto"},
                       link_rel="noopener noreferrer nofollow")


@lru_cache(maxsize=None)  # every entry's text once, however many glossaries print it
def sanitize_markdown(text: str) -> str:
    """Annotation Markdown → safe HTML on one line (a raw HTML block in the page must not hold blank lines)."""
    html_text = plain_markdown(text)
    if html_text is None:
        html_text = _MARKDOWN.reset().convert(text)
    clean = _CLEANER.clean(html_text)
    return re.sub(r"\s*\n\s*", " ", clean).strip()


# Most annotations are paragraphs of words with some **bold** and [links](https://…): these are
# converted here, as Python-Markdown converts them, at a tenth of its cost (it runs every block and
# inline processor on every text). Anything else, or anything doubtful, goes to Python-Markdown; a
# test compares the two on every annotation and thousands of variants.
_DOUBTFUL = re.compile(r"[\\`_<>&|#\t\x00-\x08\x0b-\x1f]|!\[|[ \t]\n|[ \t]$"  # escapes, code, html, tables ...
                       r"|^[ \t]*(?:[-+*>]|\d+[.)])(?:[ \t]|$)"  # a list item or quote
                       r"|^ {4}"  # code
                       r"|^[ \t]*[-=*][-=* \t]*$", re.M)  # a heading's underline or a rule (- - -)
_LINK = re.compile(r"\[([^\[\]()*\n]+)\]\((https?://[^\s()\[\]<>\"'*]+)\)")
_STRONG = re.compile(r"\*\*([^*\s<>\[\]](?:[^*\n<>\[\]]*[^*\s<>\[\]])?)\*\*")  # not across a link


def plain_markdown(text: str) -> str | None:
    """What Python-Markdown makes of a text of paragraphs, **bold** and [links](https://…); None when
    the text holds anything else."""
    text = text.strip("\n")
    if not text.strip() or _DOUBTFUL.search(text):
        return None
    marked = _STRONG.sub(r"<strong>\1</strong>", _LINK.sub(r'<a href="\2">\1</a>', text))
    if re.search(r"[*\[\]]", marked):  # (a link's text and address hold none)
        return None  # a * or bracket Markdown might read otherwise
    paragraphs = [p.lstrip() for p in re.split(r"\n[ \t]*\n", marked) if p.strip()]
    return "\n".join(f"<p>{p}</p>" for p in paragraphs)
