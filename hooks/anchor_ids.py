"""Speed only: MkDocs 1.6 parses each page's raw HTML a second time with Python's html.parser just
to collect the ids that links to anchors are checked against (mkdocs.structure.pages.
_RawHTMLPreprocessor). Our pages are mostly raw HTML, so that pass is a fifth of `mkdocs build`. Here
a pattern collects the same ids: an id on any tag, a name on a link (tests/test_anchor_ids.py
compares the two on every page of a built site). A build without this hook (Zensical) checks the
same anchors, more slowly; a MkDocs without that class is left as it is."""

import html
import re

from mkdocs.structure import pages

_VALUE = r"""(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+)"""


def _attributes_then(name: str) -> str:
    """A start tag's attributes up to `name`, each value skipped whole (text inside a value is never
    taken for an attribute), then `name=` and its value (one of three groups)."""
    other = rf"""(?:\s+(?!{name}\s*=)[^\s"'=<>/]+(?:\s*=\s*{_VALUE})?)*"""
    return rf"""{other}\s+{name}\s*="""


ANCHOR_IDS = re.compile(rf"""<(?:[a-z][^\s/>]*{_attributes_then("id")}|a{_attributes_then("name")})"""
                        r"""\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)


def anchor_ids(text: str) -> set[str]:
    return {html.unescape(a or b or c) for a, b, c in ANCHOR_IDS.findall(text)}


def _collect(self, lines: list[str]) -> list[str]:
    self.present_anchor_ids = anchor_ids("\n".join(lines))
    return lines


def on_startup(command, dirty):
    collector = getattr(pages, "_RawHTMLPreprocessor", None)
    if collector is not None and hasattr(collector, "run"):
        collector.run = _collect
