"""Preview only (`mkdocs serve --dirty`, as report_reader/serve.py runs it): keep the search index
whole when a rebuild renders only the changed pages. MkDocs then neither reads nor renders the
others, so Material's search plugin sees only the changed pages; its own merge assumes one changed
page per rebuild (it drops the old entries of the first page only), while a term edit changes many.
This hook keeps each page's entries in the serving process and hands Material the whole list, the
rebuilt pages' entries fresh. In a normal (clean) build it does nothing."""

import logging

from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.preview_search")

_dirty = False
_entries: dict[str, list] = {}  # page URL → its search entries, as last rendered
_pages: list[str] = []  # this build's pages, in the site's order
_rebuilt: set[str] = set()


def on_startup(command, dirty, **kwargs):
    global _dirty
    _dirty = dirty


def on_files(files, config, **kwargs):
    if _dirty:
        _pages[:] = [f.url for f in files.documentation_pages()]
        _rebuilt.clear()
    return files


def on_page_context(context, page, config, nav, **kwargs):
    if _dirty:
        _rebuilt.add(page.url)
    return context


@event_priority(50)  # before Material's search plugin writes the index
def on_post_build(config, **kwargs):
    if not _dirty:
        return
    search = config.plugins.get("material/search")
    index = getattr(search, "search_index", None)
    if index is None or not hasattr(search, "search_index_prev"):
        log.warning("Material's search plugin has changed: the preview's search holds only rebuilt pages")
        return
    fresh: dict[str, list] = {url: [] for url in _rebuilt}
    for entry in index.entries:
        fresh.setdefault(entry["location"].partition("#")[0], []).append(entry)
    _entries.update(fresh)
    for url in set(_entries) - set(_pages):
        del _entries[url]
    index.entries = [entry for url in _pages for entry in _entries.get(url, ())]
    search.search_index_prev = None  # the list is whole: Material's own one-page merge must not run
