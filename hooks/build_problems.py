"""Preview only: while `make serve` runs and a seed or annotation is broken, report_reader/serve.py
writes docs/.build-problems.json; this hook shows its messages as a banner at the top of every page.
A normal build has no such file, so the published site never carries a banner."""

import html
import json
import os
import re

_BODY = re.compile(r"<body[^>]*>")


def on_post_page(output, page, config, **kwargs):
    path = os.path.join(config["docs_dir"], ".build-problems.json")
    try:
        with open(path, encoding="utf-8") as fh:
            problems = json.load(fh)["problems"]
    except (OSError, ValueError, KeyError):
        return output
    items = "".join(f"<li>{html.escape(p)}</li>" for p in problems[:20])
    banner = ('<div class="rr-build-problems" role="alert" style="padding:.8rem 1.2rem;background:#7f1d1d;'
              'color:#fff;font-size:.8rem;line-height:1.6"><strong>预览未更新：输入文件有错误</strong>'
              f' (the preview shows the last good pages; fix the file and save)<ul style="margin:.3em 0 0">{items}</ul></div>')
    match = _BODY.search(output)
    return output[:match.end()] + banner + output[match.end():] if match else output
