"""Preview only: while `make serve` runs and a seed or annotation is broken, report_reader/serve.py
writes docs/.build-problems.json; this hook shows its messages as a banner at the top of every page.
A normal build has no such file, so the published site never carries a banner.

The preview rebuilds only changed pages (`mkdocs serve --dirty`), and a broken file changes none:
when the problems change, the banner is put into (or taken out of) the pages already built, in
place, which is much quicker than rendering every page again."""

import html
import json
import os
import re
from pathlib import Path

_BODY = re.compile(r"<body[^>]*>")
_BANNER = re.compile(r"<!--rr-build-problems-->.*?<!--/rr-build-problems-->", re.S)
_shown: list | None = None  # the problems the built pages carry; None before the first build


def _problems(config) -> list:
    try:
        with open(os.path.join(config["docs_dir"], ".build-problems.json"), encoding="utf-8") as fh:
            return json.load(fh)["problems"]
    except (OSError, ValueError, KeyError):
        return []


def _with_banner(output: str, problems: list) -> str:
    output = _BANNER.sub("", output)
    match = _BODY.search(output)
    if not problems or not match:
        return output
    items = "".join(f"<li>{html.escape(p)}</li>" for p in problems[:20])
    banner = ('<!--rr-build-problems--><div class="rr-build-problems" role="alert" style="padding:.8rem 1.2rem;'
              'background:#7f1d1d;color:#fff;font-size:.8rem;line-height:1.6"><strong>预览未更新：输入文件有错误</strong>'
              f' (the preview shows the last good pages; fix the file and save)<ul style="margin:.3em 0 0">{items}</ul>'
              '</div><!--/rr-build-problems-->')
    return output[:match.end()] + banner + output[match.end():]


def on_post_page(output, page, config, **kwargs):
    problems = _problems(config)
    return _with_banner(output, problems) if problems else output


def on_post_build(config, **kwargs):
    global _shown
    problems = _problems(config)
    if _shown is not None and problems != _shown:
        for page in Path(config["site_dir"]).rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            changed = _with_banner(text, problems)
            if changed != text:
                page.write_text(changed, encoding="utf-8")
    _shown = problems
