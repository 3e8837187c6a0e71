"""The Jinja2 environment of the page templates (templates/): autoescape on, strings escaped as
html.escape escapes them, trusted fragments passed explicitly as Markup."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..escaping import esc
from ..typography import display


class Trusted:
    """HTML made and escaped in Python (a section's paragraphs, a glossary's entries), passed to a
    template as it is. The template prints a placeholder, and render() puts the pieces in its
    place in the page's one final join: Markup would copy the text at each step, and a large site's
    pages are hundreds of MB."""

    __slots__ = ("pieces",)

    def __init__(self, html: str | list[str]):
        self.pieces = [html] if isinstance(html, str) else html

    def __html__(self) -> str:
        _PLACED.append(self.pieces)
        return f"\x00{len(_PLACED) - 1}\x00"

    def __bool__(self) -> bool:
        return any(self.pieces)


_PLACED: list[list[str]] = []  # the Trusted pieces of the page being rendered
_PLACEHOLDER = re.compile("\x00([0-9]+)\x00")


def _finalize(value):
    # Strings are escaped as html.escape escapes them (&quot;, &#x27;), as the fragments made in
    # Python are; Markup and Trusted pass as they are.
    return value if isinstance(value, (Markup, Trusted)) or not isinstance(value, str) else Markup(esc(value))


TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")), autoescape=True,
    finalize=_finalize, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    # Markdown's attribute lists ({#top}) would read as Jinja comments.
    comment_start_string="{##", comment_end_string="##}")


def preload() -> None:
    """Compiles every template now: done before workers fork, so each does not compile them again."""
    for name in TEMPLATES.list_templates():
        TEMPLATES.get_template(name)


def render(template: str, **context) -> str:
    _PLACED.clear()
    text = TEMPLATES.get_template(template).render(**context)
    if not _PLACED:
        return text
    parts = _PLACEHOLDER.split(text)  # text, number, text, number, ..., text
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out += _PLACED[int(part)]
        else:
            out.append(part)
    _PLACED.clear()
    return "".join(out)


def fragment(pieces: list[str]) -> Trusted:
    """Fragments made in Python, each ending in a newline, as one piece of a page: a blank line
    between them. It ends in a newline: a template prints it as `{{ x }}` then `{%- ... %}`."""
    joined = [""] * (2 * len(pieces) - 1)
    joined[::2] = pieces
    joined[1::2] = ["\n"] * (len(pieces) - 1)
    return Trusted(joined)


TEMPLATES.filters["display"] = display
