#!/usr/bin/env python3
"""Bytes a reader's browser fetches: a first visit to a page, then a first search, on a built site
served with gzip as GitHub Pages serves it (bench/lighthouse.py's server), in Debian's Chromium at
390 px with an empty cache.

    make site && python bench/search_bytes.py reports/yunnan-2026/s3/ --query 低空经济
    python bench/search_bytes.py --site /tmp/other/site reports/yunnan-2026/s3/

The search is typed as a reader types it: Material's search box if the page has one, else the header's
search button (Pagefind). Bytes are as transferred (response bodies, compressed where served so,
plus headers), split into what the page load fetched and what the search fetched after it. Figures
for bench/README.md, never a test."""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lighthouse import ROOT, SiteHandler, mkdocs_setting  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def transferred(requests: list) -> tuple[int, int, list[str]]:
    total, search, names = 0, 0, []
    for r in requests:
        response = r.response()
        if response is None:
            continue
        size = r.sizes()
        n = size["responseBodySize"] + size["responseHeadersSize"]
        total += n
        path = urlsplit(r.url).path
        if "/search/" in path or "/pagefind/" in path or path.endswith("search.css"):
            search += n
        names.append(f"{path.rsplit('/', 1)[-1] or path} {n / 1e3:.1f} KB")
    return total, search, names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", help="a path under site_url")
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--query", default="低空经济")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright
    mount = urlsplit(mkdocs_setting(ROOT, "site_url")).path or "/"
    handler = functools.partial(type("Handler", (SiteHandler,), {"mount": mount, "compress": True}),
                                directory=str(args.site.resolve()))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}{mount}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page = context.new_page()
        seen: list = []
        page.on("requestfinished", lambda request: seen.append(request))
        page.goto(base + args.page, wait_until="networkidle")
        page.wait_for_timeout(2000)  # what the page's scripts fetch once it has loaded (Material: the index)
        loaded = list(seen)
        seen.clear()
        if page.locator("input.md-search__input").count():
            page.locator("label.md-header__button[for=__search]").first.click()
            for _ in range(8):  # Material's worker can miss a query typed before it has its index
                page.fill("input.md-search__input", "")
                page.fill("input.md-search__input", args.query)
                try:
                    page.wait_for_selector(".md-search-result__item", timeout=15000)
                    break
                except Exception:
                    continue
        else:
            page.click("button.rr-search-open")
            page.fill(".rr-search__field", args.query)
            page.wait_for_function("q => document.querySelector('.rr-search__status').textContent.includes('“' + q + '”')",
                                   arg=args.query, timeout=60000)
        page.wait_for_load_state("networkidle")
        searched = list(seen)
        load_total, load_search, _ = transferred(loaded)
        search_total, _, names = transferred(searched)
        browser.close()
    server.shutdown()
    print(f"| {args.site} {args.page} | first load {load_total / 1e3:.0f} KB ({len(loaded)} requests; "
          f"{load_search / 1e3:.0f} KB of it search) | first search “{args.query}” {search_total / 1e3:.0f} KB "
          f"({len(searched)} requests) |")
    print("  search fetched: " + "; ".join(names), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
