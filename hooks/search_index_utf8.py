"""MkDocs hook: write the search index as UTF-8 instead of ASCII escapes, about half its size for
Chinese text. A convenience: without this hook the site and its search work unchanged."""

import json
from pathlib import Path


def on_post_build(config, **kwargs):
    index = Path(config["site_dir"]) / "search" / "search_index.json"
    if not index.exists():
        return
    data = json.loads(index.read_text(encoding="ascii"))
    index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
