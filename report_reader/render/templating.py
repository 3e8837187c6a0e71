"""The Jinja2 environment of the page templates (templates/): autoescape on, strings escaped as
html.escape escapes them, trusted fragments passed explicitly as Markup."""

from __future__ import annotations

from pathlib import Path

import jinja2
from markupsafe import Markup

from ..escaping import esc
from ..typography import display


def _finalize(value):
    # Strings are escaped as html.escape escapes them (&quot;, &#x27;), as the fragments made in
    # Python are; Markup passes as it is.
    return value if isinstance(value, Markup) or not isinstance(value, str) else Markup(esc(value))


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


def fragment(pieces: list[str]) -> Markup:
    """Fragments made in Python, each ending in a newline, as one piece of a page: a blank line
    between them, no newline after the last (the template gives it)."""
    return Markup("\n".join(pieces)[:-1])


TEMPLATES.filters["display"] = display
