"""MkDocs hook: let Material's search look up a Chinese query as a whole word. Material cuts a run
of Han characters into words of its index, but tries only pieces shorter than the query (its loop
stops one character short), so 预制菜 is searched as 预* 制* and ranks pages full of 预算 and
制度 above the paragraph that says 预制菜. This widens that loop by one character in the built
worker script. A convenience like search_index_utf8.py: if a Material release changes the script,
the hook warns (a strict build stops there) and leaves the script as Material ships it."""

import logging
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.search_whole_words")

# Material 9.x, src/templates/assets/javascripts/integrations/search/query/segment/index.ts, minified.
SHORT_LOOP = "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e"
WHOLE_LOOP = "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e"


def on_post_build(config, **kwargs):
    workers = sorted((Path(config["site_dir"]) / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    for worker in workers:
        script = worker.read_text(encoding="utf-8")
        if WHOLE_LOOP in script:  # a dirty rebuild (the preview) keeps the script it fixed before
            continue
        if script.count(SHORT_LOOP) != 1:
            log.warning("%s: Material's query segmentation has changed; whole-word search fix not applied",
                        worker.name)
            continue
        worker.write_text(script.replace(SHORT_LOOP, WHOLE_LOOP), encoding="utf-8")
