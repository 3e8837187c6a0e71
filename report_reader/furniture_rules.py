"""The furniture rules: furniture.yml, extended by a sidecar's `furniture:` mapping, compiled once.
A sidecar's patterns run on RE2; ingest.py applies the rules to a seed's lines."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .inputs import compile_contributed, shown
from .model import Problem

RULES_FILE = Path(__file__).with_name("furniture.yml")
RULE_KEYS = ("join", "join_pattern", "drop_block", "drop_after", "drop_list", "capture", "drop_line", "drop_pattern",
             "keep_pattern", "disable")

# Rules written in code rather than in furniture.yml; `disable:` takes these names too.
BUILTIN_RULES = ("running header", "wrapped lines", "wrapped dateline", "join", "header", "breadcrumb",
                 "repeated title", "repeated dateline", "repeated speaker", "repeated date", "repeated line", "repeated opening", "trailer")


@dataclass
class Rules:
    join: set[str] = field(default_factory=set)
    join_pattern: list[re.Pattern] = field(default_factory=list)
    drop_block: list[dict] = field(default_factory=list)
    drop_after: list[tuple[str, re.Pattern]] = field(default_factory=list)
    drop_list: list[tuple[str, re.Pattern]] = field(default_factory=list)
    capture: list[dict] = field(default_factory=list)
    drop_line: dict[str, str] = field(default_factory=dict)  # line → rule name
    drop_pattern: list[tuple[str, re.Pattern]] = field(default_factory=list)
    keep_pattern: list[re.Pattern] = field(default_factory=list)
    disabled: set[str] = field(default_factory=set)
    # False when no line rule can match a line (see _prefilter); None to try every rule.
    may_match: Callable[[str], bool] | None = None

    def on(self, name: str) -> bool:
        return name not in self.disabled


@lru_cache(maxsize=1)
def _shipped_rules() -> dict:
    """furniture.yml, parsed once per run rather than once per seed (read only below)."""
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


def load_rules(extra: dict | None = None, source: str = "sidecar") -> tuple[Rules, list[Problem]]:
    """The shipped rules, extended by a sidecar's `furniture:` mapping. Problems name `source`."""
    if not extra:  # most seeds have no sidecar rules: the shipped ones are compiled once per run
        return _shipped_compiled(), []
    return _compile_rules(extra, source)


@lru_cache(maxsize=1)
def _shipped_compiled() -> Rules:
    rules, _ = _compile_rules({}, "sidecar")  # the shipped file is checked by the tests
    return rules


def _compile_rules(extra, source: str) -> tuple[Rules, list[Problem]]:
    base = _shipped_rules()
    problems: list[Problem] = []
    extra = extra or {}
    if not isinstance(extra, dict):
        problems.append(Problem(source, None, "`furniture:` must be a mapping", f"use keys among {', '.join(RULE_KEYS)}"))
        extra = {}
    for key in sorted(set(extra) - set(RULE_KEYS)):
        problems.append(Problem(source, None, f"unknown furniture rule list `{key}`", f"use one of {', '.join(RULE_KEYS)}"))

    def merged(key):
        own = extra.get(key) or []
        if not isinstance(own, list):
            problems.append(Problem(source, None, f"furniture.{key} must be a list", "write it as a YAML list: [...]"))
            own = []
        return [(item, RULES_FILE.name) for item in base.get(key) or []] + [(item, source) for item in own]

    def compiled(pattern, key, where):
        # The shipped rules are Python `re` (some look ahead); a sidecar's run on RE2, in time
        # linear in the line whatever they say: a pull request's pattern cannot hang the build.
        if where == RULES_FILE.name:
            return re.compile(pattern)
        try:
            return compile_contributed(pattern)
        except ValueError as exc:
            problems.append(Problem(where, None, f"furniture.{key}: bad regular expression `{shown(str(pattern))}`: {exc}",
                                    "write it in RE2 syntax: no back-references (\\1) or look-around ((?=, (?!, (?<=)"))
            return None

    def named(key, default):
        out = []
        for item, where in merged(key):
            name, pattern = (default, item) if isinstance(item, str) else (item.get("name", default), item.get("pattern"))
            rx = compiled(pattern, key, where)
            if rx:
                out.append((name, rx))
        return out

    rules = Rules(disabled={str(x) for x, _ in merged("disable")})
    rules.join = {s.strip() for s, _ in merged("join") if isinstance(s, str)}
    rules.join_pattern = [rx for _, rx in named("join_pattern", "join")]
    for item, where in merged("drop_block"):
        start, end = (compiled(item.get(k), "drop_block", where) for k in ("start", "end"))
        if start and end:
            rules.drop_block.append({"name": item.get("name", "sidecar block"), "start": start, "end": end,
                                     "max_len": int(item.get("max_len", 8))})
    rules.drop_after = named("drop_after", "sidecar drop_after")
    rules.drop_list = named("drop_list", "sidecar drop_list")
    for item, where in merged("capture"):
        rx = compiled(item.get("pattern"), "capture", where)
        if rx:
            rules.capture.append({"name": item.get("name", "sidecar capture"), "field": item.get("field"), "re": rx})
    for item, where in merged("drop_line"):
        if isinstance(item, str):
            rules.drop_line[item.strip()] = "sidecar drop_line" if where != RULES_FILE.name else "navigation"
        else:
            for line in item.get("lines") or []:
                rules.drop_line.setdefault(str(line).strip(), item.get("name", "sidecar drop_line"))
    rules.drop_pattern = named("drop_pattern", "sidecar pattern")
    rules.keep_pattern = [rx for _, rx in named("keep_pattern", "keep")]
    known = set(BUILTIN_RULES) | set(rules.drop_line.values()) | {b["name"] for b in rules.drop_block} | \
        {c["name"] for c in rules.capture} | {n for key in ("drop_after", "drop_list", "drop_pattern")
                                              for n, _ in getattr(rules, key)}
    for name in sorted(rules.disabled - known):
        problems.append(Problem(source, None, f"furniture.disable names no rule: `{name}`",
                                "use a rule name as the build prints it, e.g. editor, trailer, related links"))
    _drop_disabled(rules)
    rules.may_match = _prefilter(rules)
    return rules, problems


def _prefilter(rules: Rules) -> Callable[[str], bool] | None:
    """One test that tells, for most lines, that no line rule matches: the rules anchored at the
    start of a line joined into one pattern tried once, the others searched one by one. Report prose
    passes forty rules a line, and trying each took half the time to strip a page's furniture. None
    when the rules cannot be joined safely (back-references, flags, clashing group names)."""
    anchored, floating, contributed = [], [], []
    for rx in ([b["start"] for b in rules.drop_block] + [p for _, p in rules.drop_after + rules.drop_list + rules.drop_pattern]):
        if not isinstance(rx, re.Pattern):  # a sidecar's RE2 pattern: joined into a Python one, it would lose RE2's bound
            floating.append(rx)
        else:
            (anchored if rx.pattern.startswith("^") else floating).append(rx)
    for c in rules.capture:  # tried with match(): anchored whatever they start with
        (anchored if isinstance(c["re"], re.Pattern) else contributed).append(c["re"])
    if any(rx.flags & ~re.UNICODE or re.search(r"\\[1-9]|\(\?P=|\(\?[aiLmsux]+\)", rx.pattern) for rx in anchored):
        return None
    try:
        joined = re.compile("|".join(f"(?:{rx.pattern})" for rx in anchored)) if anchored else None
    except re.error:
        return None
    drop_line = rules.drop_line

    def may_match(line: str) -> bool:
        return (line in drop_line or (joined is not None and joined.match(line) is not None)
                or any(rx.search(line) for rx in floating) or any(rx.match(line) for rx in contributed))
    return may_match


def _drop_disabled(rules: Rules) -> None:
    """`disable: [name]` switches off every shipped or sidecar rule of that name."""
    off = rules.disabled
    rules.drop_block = [b for b in rules.drop_block if b["name"] not in off]
    rules.capture = [c for c in rules.capture if c["name"] not in off]
    rules.drop_line = {k: v for k, v in rules.drop_line.items() if v not in off}
    for key in ("drop_after", "drop_list", "drop_pattern"):
        setattr(rules, key, [(n, rx) for n, rx in getattr(rules, key) if n not in off])
    if "join" in off:
        rules.join, rules.join_pattern = set(), []
