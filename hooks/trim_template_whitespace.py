"""Convenience only: Material's templates put each Jinja tag on a line of its own, indented, and every
page carries those lines (2–4 KB of a page's frame, 6 % of the seed + corpus site's HTML). Jinja's
trim_blocks and lstrip_blocks leave them out; text, tags, attributes and scripts are unchanged
(tests/test_page_weight.py builds without this hook and compares). A build without hooks (Zensical)
gives the same pages with that whitespace."""


def on_env(env, config, files):
    env.trim_blocks = True
    env.lstrip_blocks = True
    return env
