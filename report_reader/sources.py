"""What a citation rests on: its publisher's tier under the source policy (source_policy.yml, kept in
the repository and reviewed like code), the checks the build makes on every source, and what an
entry rests on as readers see it (official source, media report, the report's own words, unverified)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .model import EVERYWHERE, Problem, Scope, Source

POLICY = Path(__file__).with_name("source_policy.yml")
POLICY_NAME = "report_reader/source_policy.yml"
TIERS = ("official", "state_media", "media", "other")
TRUSTED = frozenset({"official", "state_media"})  # what a verified entry must cite at least once
REPORT = "report"  # a {report, quote} source: the report's own words

# What an entry rests on, as readers see it: the value (a CSS class and filter key) and its label.
BASIS = {"official": "官方来源", "media": "媒体报道", "report": "报告原文", "unverified": "未核实"}
BASIS_ORDER = tuple(BASIS)

_URL_IN_TEXT = re.compile(r"https?://[^\s)<>\]\"'“”（）]+", re.IGNORECASE)


@dataclass(frozen=True, eq=False)  # hashed by identity: one per process, a key of the caches below
class Policy:
    hosts: dict[str, str]  # host → tier
    names: dict[str, str]  # publisher name (a prefix) → tier
    suffixes: tuple[tuple[str, str], ...]  # (suffix, tier), tier by tier, longest first within one
    not_suffixes: tuple[str, ...]
    refused: dict[str, str]  # host → reason
    labels: dict[str, str]  # tier → label


@lru_cache(maxsize=None)
def policy(path: Path = POLICY) -> Policy:
    """The policy, read once per process."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    hosts, names, suffixes, labels = {}, {}, [], {}
    for tier in TIERS:
        spec = data["tiers"].get(tier) or {}
        labels[tier] = spec.get("label", tier)
        for host in spec.get("hosts") or []:
            hosts[host.lower()] = tier
        for name in spec.get("publishers") or []:
            names[name] = tier
        suffixes += [(s, tier) for s in sorted(spec.get("publisher_suffixes") or [], key=len, reverse=True)]
    refused = {r["host"].lower(): r.get("reason", "") for r in data.get("refused_hosts") or []}
    return Policy(hosts, names, tuple(suffixes), tuple(data.get("not_suffixes") or []), refused, labels)


def host_of(url: str) -> str:
    """The host of an address, lowercase, without port or trailing dot ("" when there is none)."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".").lower()


def _domains(host: str) -> Iterable[str]:
    """www.miit.gov.cn → www.miit.gov.cn, miit.gov.cn, gov.cn, cn: longest first."""
    parts = host.split(".")
    for i in range(len(parts)):
        yield ".".join(parts[i:])


def host_tier(host: str, rules: Policy | None = None) -> str:
    rules = rules or policy()
    for domain in _domains(host):
        tier = rules.hosts.get(domain)
        if tier:
            return tier
    return "other"


def refused_reason(url: str, rules: Policy | None = None) -> str | None:
    """Why the address's host is refused, or None when it is not."""
    rules = rules or policy()
    host = host_of(url)
    for domain in _domains(host) if host else ():
        if domain in rules.refused:
            return rules.refused[domain] or "refused host"
    return None


def _clean(name: str) -> str:
    return re.sub(r"[\s《》〈〉“”\"]", "", name or "")


def publisher_tier(name: str, rules: Policy | None = None) -> str:
    """A publisher's tier: the longest listed name it starts with, else the first suffix it ends
    with (tier by tier), else 'other'."""
    return _publisher_tier(name, rules or policy())


@lru_cache(maxsize=65536)  # a site names a few hundred publishers, thousands of times
def _publisher_tier(name: str, rules: Policy) -> str:
    name = _clean(name)
    if not name:
        return "other"
    best = ""
    for listed in rules.names:
        if name.startswith(listed) and len(listed) > len(best):
            best = listed
    if best:
        return rules.names[best]
    if not name.endswith(rules.not_suffixes):
        for suffix, tier in rules.suffixes:
            if name.endswith(suffix) and len(name) > len(suffix):
                return tier
    return "other"


def source_tier(source: Source, rules: Policy | None = None) -> str:
    """A citation's tier: 'report' for the report's own words; else its publisher's, or, when the
    publisher is not in the policy, its url's host (the publisher's own address). `via` never counts."""
    if source.report:
        return REPORT
    tier = publisher_tier(source.publisher, rules)
    if tier == "other" and source.url:
        tier = host_tier(host_of(source.url), rules)
    return tier


def is_local(scope: Scope) -> bool:
    return not scope.everywhere


def rests_on(status: str, sources: list[Source]) -> str:
    """What an entry rests on, as readers see it: one key of BASIS."""
    if status == "unverified":
        return "unverified"
    if status == "official":  # the report's own 名词解释
        return "report"
    tiers = {source_tier(s) for s in sources}
    if "official" in tiers:
        return "official"
    if tiers & {"state_media", "media"}:
        return "media"
    if REPORT in tiers:
        return "report"
    return "unverified"


def check(file: str, sources: list[Source], line: Callable[[list], int | None], *, verified: bool | None = None,
          scope: Scope = EVERYWHERE, texts: Iterable[tuple[str, str]] = ()) -> list[Problem]:
    """The policy's rules for one annotation file. `verified` is None for notes (they have no status);
    `texts` are (field, Markdown) pairs whose links are checked for refused hosts too."""
    rules = policy()
    problems: list[Problem] = []
    for i, s in enumerate(sources):
        if s.report:
            continue
        where = f"sources.{i}"
        for field in ("url", "via"):
            address = getattr(s, field)
            reason = address and refused_reason(address, rules)
            if reason:
                problems.append(Problem(file, line(["sources", i, field]),
                                        f"`{where}.{field}`: {host_of(address)} is a refused host ({reason})",
                                        f"cite the original publisher's own page instead (refused hosts are listed in {POLICY_NAME})"))
        if verified and not s.publisher:
            problems.append(Problem(file, line(["sources", i]), f"`{where}` has no `publisher` (the entry is verified)",
                                    "add `publisher:` naming who published the text (e.g. 新华社, 山东省人民政府), "
                                    "not the site where you read it"))
        published_by = publisher_tier(s.publisher, rules)
        if s.url and published_by in TRUSTED and host_tier(host_of(s.url), rules) == "other":
            problems.append(Problem(file, line(["sources", i, "url"]),
                                    f"`{where}.url`: {host_of(s.url)} is not the site of {s.publisher} but a reprint",
                                    f"move this address to `via:` (where you read it), and give {s.publisher}'s own "
                                    "address as `url:` if you know it"))
    for field, text in texts:
        for address in _URL_IN_TEXT.findall(text or ""):
            reason = refused_reason(address, rules)
            if reason:
                problems.append(Problem(file, line([field]), f"`{field}` links {host_of(address)}, a refused host ({reason})",
                                        "remove the link or cite the original publisher"))
    if verified:
        tiers = {source_tier(s, rules) for s in sources}
        enough = bool(tiers & TRUSTED) or (is_local(scope) and REPORT in tiers)
        if sources and not enough:
            problems.append(Problem(
                file, line(["sources"]),
                "status is verified but no source is an official body or state media"
                + (" (nor the report's own words)" if is_local(scope) else ""),
                "cite the original publisher (a government or Party body, Xinhua, People's Daily, CCTV, a provincial "
                f"Party paper…; see {POLICY_NAME})"
                + (", or quote the report ({report, quote})" if is_local(scope) else "")
                + ", or set status: unverified"))
    return problems


def tally(source_lists: Iterable[list[Source]]) -> Counter:
    """Citations per tier (and 'report' for the report's own words)."""
    rules = policy()
    return Counter(source_tier(s, rules) for sources in source_lists for s in sources)


def tally_line(counts: Counter) -> str:
    total = sum(counts.values())
    web = total - counts[REPORT]
    parts = [f"{tier.replace('_', ' ')} {counts[tier]}" for tier in TIERS]
    share = f"{100 * (counts['official'] + counts['state_media']) / web:.0f}%" if web else "n/a"
    return (f"sources: {total} citation(s): " + ", ".join(parts) + f", report's own words {counts[REPORT]}"
            f" — official or state media: {share} of {web} web citation(s)")
