"""The Jinja2 environment of the page templates (templates/): autoescape on, strings escaped as
html.escape escapes them, trusted fragments passed explicitly as Markup."""

from __future__ import annotations

from pathlib import Path

import jinja2
from markupsafe import Markup

from ..escaping import esc
from ..typography import display


class Trusted:
    """HTML made and escaped in Python (a section's paragraphs, a glossary's entries), passed to a
    template as it is. Markup would do, but copies the text at each step, and a large site's pages
    are hundreds of MB."""

    __slots__ = ("html",)

    def __init__(self, html: str):
        self.html = html

    def __html__(self) -> str:
        return self.html

    def __bool__(self) -> bool:
        return bool(self.html)


def _finalize(value):
    # Strings are escaped as html.escape escapes them (&quot;, &#x27;), as the fragments made in
    # Python are; Markup and Trusted pass as they are.
    return value if isinstance(value, (Markup, Trusted)) or not isinstance(value, str) else Trusted(esc(value))


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
    return TEMPLATES.get_template(template).render(**context)


def fragment(pieces: list[str]) -> Trusted:
    """Fragments made in Python, each ending in a newline, as one piece of a page: a blank line
    between them. It ends in a newline: a template prints it as `{{ x }}` then `{%- ... %}`."""
    return Trusted("\n".join(pieces))


TEMPLATES.filters["display"] = display
