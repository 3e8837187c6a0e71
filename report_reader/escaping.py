"""HTML escaping, for every string that comes from a seed, sidecar, file name or annotation. Used
where such a string enters HTML built in Python (templates escape by themselves), front matter,
the navigation and so the search index."""

from __future__ import annotations

import html
import re

_NEEDS_ESCAPE = re.compile("[&<>\"']")


def esc(text: str) -> str:
    # Most of what is escaped holds nothing to escape: one scan instead of five replacements.
    return html.escape(text, quote=True) if _NEEDS_ESCAPE.search(text) else text


def needs_escape(text: str) -> bool:
    return _NEEDS_ESCAPE.search(text) is not None
